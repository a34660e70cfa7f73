"""Bulk upload through the page: a good file imports, a half-valid file imports nothing and
reports each bad row, and "valid rows only" imports the good products and reports the rest."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.catalog.models import Product, Variant
from agora.pricing.models import Price
from tests.conftest import make_category
from tests.sellercenter.helpers import staff_client, text
from tests.sellercenter.test_bulk_parse import csv_of, row

pytestmark = pytest.mark.django_db

GOOD = (
    row(
        handle="cup",
        title="Cup",
        title_zh_hans="杯子",
        category="kitchen",
        sku="C-1",
        currency="EUR",
        price="12.99",
    ),
    row(handle="cup", sku="C-2", currency="EUR", price="13.99"),
    row(handle="pot", title="Pot", sku="P-1", currency="EUR", price="30"),
)
BAD = row(handle="bad", title="Bad", sku="B-1", gtin="12345", currency="EUR", price="-1")


def upload(client, data: bytes, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/seller/products/upload/",
        {"file": SimpleUploadedFile("p.csv", data, content_type="text/csv"), **extra},
    )


def test_the_template_lists_the_documented_columns(seller) -> None:  # type: ignore[no-untyped-def]
    response = staff_client(seller).get("/seller/products/upload/template.csv")
    assert response["Content-Disposition"].startswith("attachment")
    first = response.content.decode("utf-8-sig").splitlines()[0]
    assert first.split(",")[:3] == ["handle", "title", "title_zh_hans"]


def test_a_good_file_creates_every_product_with_its_prices(seller) -> None:  # type: ignore[no-untyped-def]
    make_category("Kitchen")
    response = upload(staff_client(seller), csv_of(*GOOD))
    assert response.status_code == 200, text(response)
    cup = Product.objects.get(seller=seller, title="Cup")
    assert cup.translations == {"zh-hans": {"title": "杯子"}} and cup.category.slug == "kitchen"
    assert sorted(cup.variants.values_list("sku", flat=True)) == ["C-1", "C-2"]
    assert Price.objects.get(variant__sku="C-2").amount_minor == 1399
    assert Product.objects.filter(seller=seller).count() == 2
    assert "2 products created" in text(response)


def test_a_half_valid_file_writes_nothing_and_reports_each_bad_row(seller) -> None:  # type: ignore[no-untyped-def]
    make_category("Kitchen")
    response = upload(staff_client(seller), csv_of(*GOOD, BAD))
    assert response.status_code == 422
    assert not Product.objects.filter(seller=seller).exists()
    assert not Variant.objects.filter(seller=seller).exists()
    page = text(response)
    assert "Nothing was imported" in page
    assert "5 gtin" in page and "5 price" in page  # row 5 (header is row 1), both columns


def test_valid_rows_only_imports_the_good_products(seller) -> None:  # type: ignore[no-untyped-def]
    make_category("Kitchen")
    response = upload(staff_client(seller), csv_of(*GOOD, BAD), valid_only="on")
    assert response.status_code == 200
    assert sorted(Product.objects.filter(seller=seller).values_list("title", flat=True)) == [
        "Cup",
        "Pot",
    ]
    page = text(response)
    assert "2 products created" in page and "1 row was skipped" in page
    assert "5 gtin" in page


def test_the_report_comes_as_a_partial_to_htmx_and_in_chinese(seller) -> None:  # type: ignore[no-untyped-def]
    response = staff_client(seller).post(
        "/seller/products/upload/",
        {"file": SimpleUploadedFile("p.csv", csv_of(BAD), content_type="text/csv")},
        headers={"HX-Request": "true", "Accept-Language": "zh-hans"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="upload-report"')  # the partial, not the page
    assert "<html" not in html
    assert "没有导入任何内容" in html  # "Nothing was imported"
    assert "不是有效的 GTIN" in html  # the row's message in the user's language too


def test_a_file_that_repeats_a_stored_sku_names_the_row(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    make_category("Kitchen")
    assert upload(client, csv_of(*GOOD)).status_code == 200
    again = upload(
        client, csv_of(row(handle="new", title="New", sku="C-1", currency="EUR", price="1"))
    )
    assert again.status_code == 422 and "2 sku" in text(again)
    assert Product.objects.filter(seller=seller).count() == 2
