"""Products: the list with search and status filter, create, edit (English and Simplified
Chinese text, category, attributes), variants with prices, images, publish and unpublish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.catalog import selectors as catalog
from agora.catalog.models import Product, Variant
from agora.catalog.services import product_publish, product_unpublish, product_update
from agora.catalog.uploads import media_upload
from agora.core.errors import AgoraError
from agora.core.money import Money
from agora.pricing.services import (
    PricedVariantInput,
    product_create_priced,
    variant_add_priced,
    variant_update_priced,
)
from agora.sellercenter.access import owned, seller_page
from agora.sellercenter.feedback import add_service_error, meaning
from agora.sellercenter.forms.common import format_options
from agora.sellercenter.forms.products import (
    ZH,
    MediaForm,
    ProductCreateForm,
    ProductFilterForm,
    ProductForm,
    VariantForm,
)
from agora.sellercenter.views.common import INVALID, cursor_page, page

# Where a service's field path lands in the product and variant forms.
ALIASES = {
    "variants[0].title": "variant_title",
    "title": "title",
    "amount_minor": "price",
    "translations": "title_zh",
    "file": "image",
}
VARIANT_ALIASES = {**ALIASES, "title": "variant_title"}


def _own_product(request: HttpRequest, product_id: str) -> Product:
    return owned(request, catalog.product_get_for_seller, product_id)


def _own_variant(request: HttpRequest, variant_id: str) -> Variant:
    return owned(request, catalog.variant_get_for_seller, variant_id)


@seller_page("catalog:read")
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    result = cursor_page(
        request,
        catalog.product_list_for_seller,
        seller=request.desk.seller,  # type: ignore[attr-defined]
        filters=filters,
        limit=25,
    )
    return page(
        request,
        "sellercenter/products/list.html",
        _("Products"),
        "products",
        {"form": form, "products": result.items, "next_cursor": result.next_cursor},
        partial="results",
    )


def _variant_input(data: dict[str, Any]) -> PricedVariantInput:
    price = data.get("price_minor")
    return PricedVariantInput(
        sku=data["sku"],
        gtin=data["gtin"],
        title=data["variant_title"],
        translations={ZH: {"title": zh}} if (zh := data.get("variant_title_zh", "")) else {},
        options=data["options"],
        weight_grams=data["weight_grams"],
        prices=[(data["currency"], price)] if price is not None else [],
    )


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def product_new(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    form = ProductCreateForm(request.POST or None, initial={"currency": seller.payout_currency})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = product_create_priced(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                seller=seller,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                language="en",
                translations=form.translations(),
                attributes=form.attribute_values(),
                variants=[_variant_input(data)],
            )
        except AgoraError as exc:
            add_service_error(form, exc, ALIASES)
        else:
            messages.success(request, _("Product created as a draft."))
            return redirect("sellercenter:product_edit", product_id=product.public_id)
    return page(
        request,
        "sellercenter/products/new.html",
        _("New product"),
        "products",
        {"form": form},
        status=INVALID if request.method == "POST" else 200,
    )


def _edit_page(
    request: HttpRequest,
    product: Product,
    *,
    form: ProductForm | None = None,
    variant_form: VariantForm | None = None,
    media_form: MediaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    document = catalog.product_document(product=product)
    return page(
        request,
        "sellercenter/products/edit.html",
        _("Edit product"),
        "products",
        {
            "product": product,
            "document": document,
            "form": form or ProductForm(initial=ProductForm.initial_for(product)),
            "variant_form": variant_form
            or VariantForm(initial={"currency": seller.payout_currency}),
            "media_form": media_form or MediaForm(),
        },
        status=status,
    )


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _own_product(request, product_id)
    if request.method != "POST":
        return _edit_page(request, product)
    form = ProductForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            product_update(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                product=product,
                changes={
                    "title": data["title"],
                    "description": data["description"],
                    "category": data["category"],
                    "translations": form.translations(product.translations),
                    "attributes": form.attribute_values(),
                },
            )
        except AgoraError as exc:
            add_service_error(form, exc, ALIASES)
        else:
            messages.success(request, _("Product saved."))
            return redirect("sellercenter:product_edit", product_id=product.public_id)
    return _edit_page(request, product, form=form, status=INVALID)


@seller_page("catalog:write")
@require_POST
def product_status(request: HttpRequest, product_id: str, action: str) -> HttpResponse:
    product = _own_product(request, product_id)
    actor = request.desk.actor  # type: ignore[attr-defined]
    try:
        if action == "publish":
            product_publish(actor=actor, product=product)
            messages.success(request, _("Product published."))
        else:
            product_unpublish(actor=actor, product=product, archive=action == "archive")
            messages.success(request, _("Product taken off sale."))
    except AgoraError as exc:
        messages.error(request, meaning(exc))
    return redirect("sellercenter:product_edit", product_id=product.public_id)


@seller_page("catalog:write")
@require_POST
def variant_new(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _own_product(request, product_id)
    form = VariantForm(request.POST)
    if form.is_valid():
        try:
            variant_add_priced(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                product=product,
                data=_variant_input(form.cleaned_data),
                source="sellercenter",
            )
        except AgoraError as exc:
            add_service_error(form, exc, VARIANT_ALIASES)
        else:
            messages.success(request, _("Variant added."))
            return redirect("sellercenter:product_edit", product_id=product.public_id)
    return _edit_page(request, product, variant_form=form, status=INVALID)


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def variant_edit(request: HttpRequest, variant_id: str) -> HttpResponse:
    variant = _own_variant(request, variant_id)
    prices = sorted(variant.prices.all(), key=lambda p: p.currency)
    seller = request.desk.seller  # type: ignore[attr-defined]
    current = next((p for p in prices if p.currency == seller.payout_currency), None) or (
        prices[0] if prices else None
    )
    initial = {
        "sku": variant.sku,
        "gtin": variant.gtin,
        "variant_title": variant.title,
        "variant_title_zh": (variant.translations.get(ZH) or {}).get("title", ""),
        "options": format_options(variant.options),
        "weight_grams": variant.weight_grams,
        "currency": current.currency if current else seller.payout_currency,
        "price": Money(current.amount_minor, current.currency).amount if current else None,
    }
    form = VariantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        edited = _variant_input(form.cleaned_data)
        try:
            variant_update_priced(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                variant=variant,
                changes={
                    "sku": edited.sku,
                    "gtin": edited.gtin,
                    "title": edited.title,
                    "translations": edited.translations,
                    "options": edited.options,
                    "weight_grams": edited.weight_grams,
                },
                prices=edited.prices,
                source="sellercenter",
            )
        except AgoraError as exc:
            add_service_error(form, exc, VARIANT_ALIASES)
        else:
            messages.success(request, _("Variant saved."))
            return redirect("sellercenter:product_edit", product_id=variant.product.public_id)
    return page(
        request,
        "sellercenter/products/variant.html",
        _("Edit variant"),
        "products",
        {"form": form, "variant": variant, "prices": prices},
        status=INVALID if request.method == "POST" else 200,
    )


@seller_page("catalog:write")
@require_POST
def media_new(request: HttpRequest, product_id: str) -> HttpResponse:
    product = _own_product(request, product_id)
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        zh = {"alt": data["alt_zh"]} if data["alt_zh"] else {}
        try:
            media_upload(
                actor=request.desk.actor,  # type: ignore[attr-defined]
                product=product,
                file=data["image"],
                alt=data["alt"],
                translations={ZH: zh} if zh else None,
            )
        except AgoraError as exc:
            add_service_error(form, exc, ALIASES)
        else:
            messages.success(request, _("Image added."))
            return redirect("sellercenter:product_edit", product_id=product.public_id)
    return _edit_page(request, product, media_form=form, status=INVALID)
