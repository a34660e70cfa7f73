"""The seller center's sustainability page: state a footprint from a category average, request
a label with an uploaded certificate; refusals are shown beside the fields, nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.core import clock
from agora.sustainability.models import GreenLabel, ProductFootprint
from tests.conftest import make_category, make_product
from tests.sellercenter.helpers import staff_client, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_footprint_from_a_category_average(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    books = make_category("Books")
    novel = make_product(seller, "A novel", category=make_category("Fiction", parent=books))
    make_product(other_seller, "Not mine")
    client = staff_client(seller)
    page = client.get("/seller/sustainability/")
    assert page.status_code == 200
    assert "A novel" in text(page) and "Not mine" not in text(page)
    assert "Wells" in text(page)  # the cited table is listed with its sources
    answer = client.post(
        "/seller/sustainability/",
        {"form": "footprint", "product": novel.public_id, "basis": "category_average",
         "average_key": "paperback-book", "functional_units": "1",
         "assessed_on": clock.now().date().isoformat()},
    )  # fmt: skip
    assert answer.status_code == 302
    assert str(ProductFootprint.objects.get(product=novel).kg_co2e) == "2.710"
    refused = client.post(
        "/seller/sustainability/",
        {"form": "footprint", "product": novel.public_id, "basis": "category_average",
         "average_key": "e-bike-eu", "assessed_on": clock.now().date().isoformat()},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "not for this product" in text(refused)


def test_label_request_with_a_certificate_upload(seller) -> None:  # type: ignore[no-untyped-def]
    tea = make_product(seller, "Sencha")
    client = staff_client(seller)
    data = {"form": "label", "product": tea.public_id, "kind": "organic", "scheme": "EU organic",
            "evidence": "document", "expires_on": "2099-01-01"}  # fmt: skip
    missing = client.post("/seller/sustainability/", data)
    assert missing.status_code == 422 and not GreenLabel.objects.exists()
    far = client.post(
        "/seller/sustainability/",
        {**data, "document": SimpleUploadedFile("c.pdf", b"%PDF-1.7\n")},
    )
    assert far.status_code == 422 and "5 years" in text(far)
    ok = client.post(
        "/seller/sustainability/",
        {**data, "expires_on": clock.now().date().replace(year=clock.now().year + 1).isoformat(),
         "document": SimpleUploadedFile("c.pdf", b"%PDF-1.7\n")},
    )  # fmt: skip
    assert ok.status_code == 302
    label = GreenLabel.objects.get(product=tea)
    assert label.status == "pending" and label.document_type == "application/pdf"
    public = client.get(f"/sustainability/labels/{label.public_id}/document")
    assert public["Content-Type"] == "application/pdf"
    assert public["X-Content-Type-Options"] == "nosniff"
