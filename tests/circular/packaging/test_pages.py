"""The dashboard pages: the seller center's (with the packaging actions) and the operator's,
rendered with data, their charts' figures in tables; refused to whoever may not see them."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from agora.circular.models import PackagingUse, ReusablePackage
from agora.circular.packaging.services import packages_add
from agora.marketplace.models import SellerStaff
from tests.circular.packaging.conftest import make_type, shipment_for
from tests.circular.packaging.data import populate
from tests.conftest import SYSTEM, make_seller
from tests.operator.data import operator
from tests.sellercenter.helpers import staff_client, text, user

pytestmark = pytest.mark.django_db

SELLER_URL = "/seller/green/"
OPERATOR_URL = "/admin/operator/sustainability/"


def chart_data(response) -> dict:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    match = re.search(r'<script id="green-chart-data" type="application/json">(.*?)</script>', html)
    assert match
    return json.loads(match.group(1))


def test_seller_page_shows_charts_with_tables(green_seller):
    populate(green_seller)
    make_type(make_seller("othershop"), name="Their secret box")
    page = staff_client(green_seller).get(SELLER_URL)
    assert page.status_code == 200
    body = text(page)
    assert "Low-carbon deliveries" in body and "75.0 %" in body and "3 of 4" in body
    html = page.content.decode()
    for table in ("emissions-table", "rentals-table", "loops-table"):
        assert f'id="{table}"' in html
    assert "chart.umd.min.js" in html and 'aria-current="page">Green dashboard' in html
    data = chart_data(page)
    assert data["emissions-chart"]["labels"][-2:] == ["2026-02", "2026-03"]
    vans = next(d for d in data["emissions-chart"]["datasets"] if d["label"] == "van diesel")
    assert vans["values"][-2:] == ["0.300", "0.080"]
    assert data["rentals-chart"]["datasets"][0]["values"][-1] == "30.00"
    assert data["loops-chart"]["datasets"][0]["values"][-1] == 2
    assert "Reusable mailer M" in body and "200-400 grams" in body
    assert "Their secret box" not in body


def test_pack_and_take_back_from_the_seller_center(green_seller):
    ptype = make_type(green_seller)
    package = packages_add(actor=SYSTEM, ptype=ptype)[0]
    shipment = shipment_for(green_seller)
    client = staff_client(green_seller)
    response = client.post(
        "/seller/green/pack/", {"shipment": shipment.public_id, "package": package.public_id}
    )
    assert response.status_code == 302
    use = PackagingUse.objects.get()
    assert use.shipment_public_id == shipment.public_id
    client.post("/seller/green/take-back/", {"package": package.public_id, "via": "pickup_point"})
    again = client.post(
        "/seller/green/take-back/", {"package": package.public_id, "via": "courier"}, follow=True
    )
    assert "returned already" in text(again)  # no deposit was chosen: a return, not a refund
    assert ReusablePackage.objects.get(pk=package.pk).loops == 1
    assert PackagingUse.objects.get().returned_via == "pickup_point"


def test_another_sellers_package_cannot_be_packed(green_seller):
    other = make_seller("othershop")
    package = packages_add(actor=SYSTEM, ptype=make_type(other))[0]
    shipment = shipment_for(green_seller)
    response = staff_client(green_seller).post(
        "/seller/green/pack/",
        {"shipment": shipment.public_id, "package": package.public_id},
        follow=True,
    )
    assert f"You have no package {package.public_id}" in text(response)
    assert not PackagingUse.objects.exists()


def test_seller_page_is_refused_to_others(green_seller):
    assert Client().get(SELLER_URL).status_code == 302  # to sign in
    stranger = Client()
    stranger.force_login(user())
    assert stranger.get(SELLER_URL)["Location"].endswith("/seller/apply/")
    editor = staff_client(green_seller, role=SellerStaff.Role.CATALOG)
    assert editor.get(SELLER_URL).status_code == 403  # no orders scope
    response = editor.post("/seller/green/pack/", {"shipment": "shp_x", "package": "rpk_x"})
    assert response.status_code == 403
    assert not PackagingUse.objects.exists()


def test_operator_page_shows_platform_figures(green_seller):
    populate(green_seller)
    client = Client()
    client.force_login(operator())
    page = client.get(OPERATOR_URL)
    assert page.status_code == 200
    body = text(page)
    assert "All sellers" in body and "3 of 4" in body
    assert 'id="emissions-table"' in page.content.decode()
    assert chart_data(page)["loops-chart"]["datasets"][0]["values"][-1] == 2
    assert "Sustainability dashboard" in text(client.get("/admin/"))


def test_operator_page_is_refused_to_non_staff(green_seller):
    anonymous = Client().get(OPERATOR_URL)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    seller_staff = staff_client(green_seller)
    response = seller_staff.get(OPERATOR_URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
