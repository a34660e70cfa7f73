"""Bad input on the pages: the message sits next to the field, in the user's language, and what
was typed stays in the form; service refusals land on the field they name."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.catalog.models import Attribute, Product
from agora.inventory.models import StockLevel
from agora.inventory.services import location_create, stock_receive
from tests.conftest import SYSTEM, make_product
from tests.sellercenter.helpers import field_error, staff_client, text

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}


def test_a_bad_gtin_is_shown_next_to_its_field_in_chinese_with_the_input_kept(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    response = client.post(
        "/seller/products/new/",
        {
            "title": "Tea cup",
            "title_zh": "茶杯",
            "sku": "CUP-1",
            "gtin": "4006381333932",
            "price": "12.999",
            "currency": "EUR",
        },
        headers=ZH,
    )
    assert response.status_code == 422
    assert "不是有效的 GTIN" in field_error(response, "gtin")
    assert "小数" in field_error(response, "price")  # EUR has 2 decimals, 12.999 has 3
    html = response.content.decode()
    assert 'value="茶杯"' in html and 'value="CUP-1"' in html and 'value="4006381333932"' in html
    assert 'aria-invalid="true"' in html
    assert not Product.objects.exists()


def test_a_required_field_is_named_in_english_too(seller) -> None:  # type: ignore[no-untyped-def]
    response = staff_client(seller).post("/seller/products/new/", {"sku": "X"})
    assert response.status_code == 422
    assert field_error(response, "title") == "This field is required."


def test_a_sku_taken_by_another_variant_lands_on_the_sku_field(seller) -> None:  # type: ignore[no-untyped-def]
    make_product(seller, "Mug", sku="MUG-1")
    response = staff_client(seller).post(
        "/seller/products/new/", {"title": "Cup", "sku": "MUG-1", "currency": "EUR"}, headers=ZH
    )
    assert response.status_code == 422
    assert field_error(response, "sku") == "此 SKU 已被你的另一个规格使用。"


def test_an_invalid_vat_id_is_refused_in_the_application(seller) -> None:  # type: ignore[no-untyped-def]
    client = staff_client(seller)
    response = client.post(
        "/seller/apply/",
        {
            "display_name": "Shop",
            "legal_name": "Shop Ltd",
            "country": "DE",
            "payout_currency": "EUR",
            "vat_id": "DE123",
        },
        headers=ZH,
    )
    assert response.status_code == 422
    assert "不是 DE 的有效增值税号" in field_error(response, "vat_id")
    assert 'value="Shop Ltd"' in response.content.decode()


def test_editing_keeps_english_and_sets_the_chinese_text_and_attributes(seller) -> None:  # type: ignore[no-untyped-def]
    Attribute.objects.create(
        code="material", name="Material", value_type="choice", choices=["porcelain", "glass"]
    )
    product = make_product(seller, "Cup")
    client = staff_client(seller)
    response = client.post(
        f"/seller/products/{product.public_id}/",
        {
            "title": "Tea cup",
            "title_zh": "茶杯",
            "description": "",
            "description_zh": "",
            "attr_material": "porcelain",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.title == "Tea cup" and product.translations == {"zh-hans": {"title": "茶杯"}}
    assert product.attributes == {"material": "porcelain"}
    assert "茶杯" in text(client.get("/seller/products/?q=Tea", headers=ZH))
    # A blank Chinese title removes the translation.
    client.post(f"/seller/products/{product.public_id}/", {"title": "Tea cup", "title_zh": ""})
    product.refresh_from_db()
    assert product.translations == {}


def test_variants_and_prices_are_added_and_edited(seller) -> None:  # type: ignore[no-untyped-def]
    product = make_product(seller, "Cup", sku="CUP-S")
    client = staff_client(seller)
    r = client.post(
        f"/seller/products/{product.public_id}/variants/",
        {
            "sku": "CUP-L",
            "variant_title": "Large",
            "variant_title_zh": "大号",
            "options": "size=L",
            "price": "14.50",
            "currency": "EUR",
            "weight_grams": "250",
        },
    )
    assert r.status_code == 302
    large = product.variants.get(sku="CUP-L")
    assert (large.options, large.weight_grams) == ({"size": "L"}, 250)
    assert large.translations == {"zh-hans": {"title": "大号"}}
    assert large.prices.get().amount_minor == 1450
    assert 'value="大号"' in client.get(f"/seller/variants/{large.public_id}/").content.decode()
    r = client.post(
        f"/seller/variants/{large.public_id}/",
        {"sku": "CUP-XL", "price": "15", "currency": "EUR", "options": "size=XL"},
    )
    assert r.status_code == 302
    large.refresh_from_db()
    assert large.sku == "CUP-XL" and large.prices.get().amount_minor == 1500
    assert large.translations == {}  # the Chinese name was cleared
    bad = client.post(f"/seller/variants/{large.public_id}/", {"sku": "CUP-S", "options": "size"})
    assert bad.status_code == 422
    assert field_error(bad, "options")


def test_an_image_is_uploaded_to_the_product(seller, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    product = make_product(seller, "Cup")
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (0, 90, 200)).save(buffer, format="JPEG")
    client = staff_client(seller)
    r = client.post(
        f"/seller/products/{product.public_id}/media/",
        {
            "image": SimpleUploadedFile("c.jpg", buffer.getvalue(), "image/jpeg"),
            "alt": "A blue cup",
            "alt_zh": "蓝色杯子",
        },
    )
    assert r.status_code == 302
    media = product.media.get()
    assert media.url.endswith(".jpg") and media.translations == {"zh-hans": {"alt": "蓝色杯子"}}
    refused = client.post(
        f"/seller/products/{product.public_id}/media/",
        {"image": SimpleUploadedFile("c.jpg", b"not an image", "image/jpeg"), "alt": "x"},
    )
    assert refused.status_code == 422 and field_error(refused, "image")
    assert product.media.count() == 1


def test_stock_cannot_be_adjusted_below_zero_and_low_stock_is_marked(seller) -> None:  # type: ignore[no-untyped-def]
    variant = make_product(seller, "Cup", sku="CUP-1").variants.get()
    location = location_create(
        actor=SYSTEM, seller=seller, name="Main", kind="warehouse", country="DE"
    )
    stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=3)
    client = staff_client(seller)
    r = client.post(
        f"/seller/stock/{variant.public_id}/",
        {
            "action": "adjust",
            "adjust-location": location.public_id,
            "adjust-quantity": "-5",
            "adjust-reason": "damaged",
        },
        headers=ZH,
    )
    assert r.status_code == 422
    assert "库存不足" in field_error(r, "adjust-quantity")
    assert StockLevel.objects.get(variant=variant).on_hand == 3
    r = client.post(
        f"/seller/stock/{variant.public_id}/",
        {
            "action": "adjust",
            "adjust-location": location.public_id,
            "adjust-quantity": "-1",
            "adjust-reason": "damaged",
            "adjust-note": "dropped",
        },
    )
    assert r.status_code == 302 and StockLevel.objects.get(variant=variant).on_hand == 2
    assert 'class="low"' not in client.get("/seller/stock/").content.decode()
    client.post(
        f"/seller/stock/{variant.public_id}/",
        {"action": "threshold", "threshold-low_stock_threshold": "5"},
    )
    matrix = client.get("/seller/stock/")
    assert 'class="low"' in matrix.content.decode()
