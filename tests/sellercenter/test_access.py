"""Who may see what: sign-in, a seller chosen from the user's memberships, roles, another
seller's objects as 404, and CSRF on every form."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.catalog.models import Product
from agora.inventory.services import location_create
from agora.marketplace.models import SellerStaff
from agora.marketplace.services import seller_staff_add
from agora.webhooks.services import webhook_endpoint_create
from tests.conftest import SYSTEM, key_client, make_product
from tests.orders.factories import approved_return, delivered, paid, ship_all
from tests.sellercenter.helpers import staff_client, text, user

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get("/seller/products/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/seller/products/")


def test_another_sellers_objects_are_not_found(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    theirs = make_product(other_seller, "Their cup")
    order = paid(other_seller)
    shipment = ship_all(paid(other_seller))
    ret = approved_return(delivered(other_seller))
    endpoint, _ = webhook_endpoint_create(
        actor=SYSTEM, seller=other_seller, url="https://example.com/h", events=["*"]
    )
    key_client(other_seller)
    from agora.accounts.models import ApiKey

    key = ApiKey.objects.get(seller=other_seller)
    mine = staff_client(seller)
    gets = [
        f"/seller/products/{theirs.public_id}/",
        f"/seller/variants/{theirs.variants.get().public_id}/",
        f"/seller/stock/{theirs.variants.get().public_id}/",
        f"/seller/orders/{order.public_id}/",
        f"/seller/orders/{order.public_id}/pick-list/",
        f"/seller/shipments/{shipment.public_id}/packing-slip/",
        f"/seller/returns/{ret.public_id}/",
        f"/seller/webhooks/{endpoint.public_id}/",
        "/seller/products/prod_nonsense/",
    ]
    for path in gets:
        assert mine.get(path).status_code == 404, path
    posts = [
        f"/seller/products/{theirs.public_id}/publish/",
        f"/seller/orders/{order.public_id}/shipments/",
        f"/seller/shipments/{shipment.public_id}/status/",
        f"/seller/returns/{ret.public_id}/reject/",
        f"/seller/webhooks/{endpoint.public_id}/disable/",
        f"/seller/keys/{key.public_id}/revoke/",
    ]
    for path in posts:
        assert mine.post(path, {"status": "shipped", "note": "x"}).status_code == 404, path
    key.refresh_from_db()
    endpoint.refresh_from_db()
    assert key.revoked_at is None and endpoint.enabled
    # The other seller's things stay out of the lists too.
    assert "Their cup" not in text(mine.get("/seller/products/"))
    assert order.public_id not in text(mine.get("/seller/orders/?status=paid"))


def test_a_role_sees_only_its_part_of_the_shop(seller) -> None:  # type: ignore[no-untyped-def]
    clerk = staff_client(seller, role=SellerStaff.Role.FULFILMENT)
    assert clerk.get("/seller/orders/").status_code == 200
    assert clerk.get("/seller/stock/").status_code == 200
    assert clerk.get("/seller/products/new/").status_code == 403
    assert clerk.get("/seller/keys/").status_code == 403
    manager = staff_client(seller, role=SellerStaff.Role.MANAGER)
    assert manager.get("/seller/keys/").status_code == 403  # keys: owners only
    assert manager.post("/seller/money/payouts/", {"currency": "EUR"}).status_code == 403


def test_a_person_working_for_two_shops_switches_between_them(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    seller_staff_add(actor=SYSTEM, seller=other_seller, user=client.user, role="owner")  # type: ignore[attr-defined]
    make_product(other_seller, "Beta mug")
    assert "Beta mug" not in text(client.get("/seller/products/"))
    client.post("/seller/switch/", {"seller": other_seller.public_id})
    assert "Beta mug" in text(client.get("/seller/products/"))
    client.post("/seller/switch/", {"seller": "sel_00000000000000000000000000"})
    assert "Beta mug" in text(client.get("/seller/products/"))  # an unknown choice is ignored


def test_a_user_with_no_shop_is_asked_to_apply() -> None:
    client = Client()
    client.force_login(user())
    assert client.get("/seller/orders/").url == "/seller/apply/"


def test_forms_refuse_a_post_without_the_csrf_token(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller, enforce_csrf_checks=True)
    response = client.post("/seller/products/new/", {"title": "Cup", "sku": "C"})
    assert response.status_code == 403
    assert not Product.objects.filter(seller=seller).exists()
    # With the token from the page, the same post goes through.
    page = client.get("/seller/products/new/")
    token = page.cookies.get("csrftoken") or client.cookies["csrftoken"]
    response = client.post(
        "/seller/products/new/",
        {"title": "Cup", "sku": "C-1", "currency": "EUR", "csrfmiddlewaretoken": token.value},
    )
    assert response.status_code == 302
    location_create(actor=SYSTEM, seller=seller, name="W", kind="warehouse", country="DE")
    assert (
        client.post(
            "/seller/stock/locations/", {"name": "X", "kind": "store", "country": "DE"}
        ).status_code
        == 403
    )
