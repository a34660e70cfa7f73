"""Passports over the API: anyone reads a passport as JSON; a seller's key writes its products'
passports, records lots, serialises items and issues authenticity certificates.

``GET /api/v1/passports/{gtin}[?serial=|?lot=]`` is the machine-readable twin of the passport
page (the resolver's ``gs1:sustainabilityInfo`` and friends point at the page).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status

from agora.api.auth import seller_auth
from agora.api.schemas import StrictInput
from agora.api.scopes import require_scope
from agora.catalog import selectors as catalog_selectors
from agora.core.errors import invalid, not_found
from agora.traceability.epcis.identifiers import IdentifierError, gtin_normalise
from agora.traceability.models import Passport
from agora.traceability.passports import selectors, services
from agora.traceability.passports.identity import digital_link

router = Router(tags=["passports"])


def _passport_out(passport: Passport | None) -> dict[str, Any] | None:
    if passport is None:
        return None
    return {
        "origin": {
            "country": passport.origin_country,
            "region": passport.origin_region,
            "facility": passport.origin_facility,
            "manufacturer": passport.manufacturer,
        },
        "materials": passport.materials,
        "certifications": passport.certifications,
        "repair": {
            "text": passport.repair_text,
            "url": passport.repair_url,
            "spare_parts_years": passport.spare_parts_years,
        },
        "recycling": passport.recycling_text,
        "carbon_footprint": None
        if passport.carbon_kg_co2e is None
        else {"kg_co2e": str(passport.carbon_kg_co2e), "method": passport.carbon_method},
        "places": passport.places,
        "updated_at": passport.updated_at.isoformat(),
    }


def _gtin(value: str, field: str = "gtin") -> str:
    try:
        return gtin_normalise(value)
    except IdentifierError as exc:
        raise invalid(field, str(exc)) from None


@router.get("/passports/{gtin}", response=dict, summary="A product's or item's passport")
def get_passport(
    request: HttpRequest, gtin: str, serial: str | None = None, lot: str | None = None
) -> dict[str, Any]:
    checked = _gtin(gtin)
    resolution = selectors.resolve(gtin=checked, serial=serial, lot=lot)
    if resolution is None or resolution.fell_back:
        raise not_found("passport", "/".join(x for x in (checked, serial or lot) if x))
    item, found_lot = resolution.item, resolution.lot
    certificate = selectors.certificate_for(item) if item is not None else None
    return {
        "gtin": checked,
        "digital_link": digital_link(
            gtin=checked,
            serial=item.serial if item else None,
            lot=found_lot.code if found_lot and not item else None,
            request=request,
        ),
        "product": {
            "id": resolution.product.public_id,
            "title": resolution.product.title,
            "variant": resolution.variant.public_id,
        },
        "seller": selectors.seller_name(resolution.variant.seller_id),
        "passport": _passport_out(resolution.passport),
        "lot": None
        if found_lot is None
        else {
            "code": found_lot.code,
            "produced_on": found_lot.produced_on.isoformat(),
            "best_before": found_lot.best_before.isoformat() if found_lot.best_before else None,
        },
        "item": None if item is None else {"serial": item.serial, "status": item.status},
        "certificate": None
        if certificate is None
        else {
            "id": certificate.public_id,
            "issued_at": certificate.issued_at.isoformat(),
            "holder": certificate.holder_ref,
            "log_index": certificate.log_index,
            "signature_ok": certificate.signature_ok,
        },
    }


# --- seller -------------------------------------------------------------------------------------


class MaterialIn(StrictInput):
    name: str = Field(max_length=120)
    share_percent: float = Field(ge=0, le=100)
    recycled_percent: float = Field(0, ge=0, le=100)


class CertificationIn(StrictInput):
    name: str = Field(max_length=200)
    issuer: str = Field(max_length=200)
    number: str = Field("", max_length=100)
    url: str = Field("", max_length=500, examples=["https://example.org/certificates/123"])
    valid_until: str = Field("", description="ISO date", examples=["2027-12-31"])


class PassportIn(StrictInput):
    """Only the fields sent change."""

    origin_country: str | None = Field(None, description="ISO 3166-1 alpha-2", examples=["PT"])
    origin_region: str | None = None
    origin_facility: str | None = None
    manufacturer: str | None = None
    materials: list[MaterialIn] | None = None
    certifications: list[CertificationIn] | None = None
    repair_text: str | None = Field(None, max_length=5000)
    repair_url: str | None = Field(None, examples=["https://example.org/repair"])
    spare_parts_years: int | None = Field(None, ge=0, le=50)
    recycling_text: str | None = Field(None, max_length=5000)
    carbon_kg_co2e: str | None = Field(None, description="kilograms CO2e", examples=["2.40"])
    carbon_method: str | None = None
    places: dict[str, str] | None = Field(
        None, description="GLN → place name", examples=[{"4012345000009": "Porto workshop"}]
    )


class LotIn(StrictInput):
    code: str = Field(description="GS1 AI 10: 1-20 characters", examples=["L2026-10"])
    produced_on: date = Field(examples=["2026-10-01"])
    quantity: int = Field(ge=1)
    best_before: date | None = Field(None, examples=["2028-10-01"])


class ItemsIn(StrictInput):
    serials: list[str] = Field(min_length=1, max_length=1000)
    lot: str | None = Field(None, description="a lot code of the same variant")


class CertificateIn(StrictInput):
    gtin: str
    serial: str
    holder: str = Field(description="the buyer's user id, usr_…")


@router.put(
    "/seller/products/{product_id}/passport",
    response=dict,
    summary="Write a product's passport",
    auth=seller_auth,
)
def put_passport(request: HttpRequest, product_id: str, payload: PassportIn) -> dict[str, Any]:
    require_scope(request, "catalog:write")
    product = catalog_selectors.product_get_for_seller(
        seller=request.seller,  # type: ignore[attr-defined]
        public_id=product_id,
    )
    if product is None:
        raise not_found("product", product_id)
    changes = payload.model_dump(exclude_unset=True)
    passport = services.passport_update(
        actor=request.actor,  # type: ignore[attr-defined]
        product=product,
        changes=changes,
    )
    return _passport_out(passport) or {}


def _own_variant(request: HttpRequest, variant_id: str) -> Any:
    variant = catalog_selectors.variant_get_for_seller(
        seller=request.seller,  # type: ignore[attr-defined]
        public_id=variant_id,
    )
    if variant is None:
        raise not_found("variant", variant_id)
    return variant


@router.post(
    "/seller/variants/{variant_id}/lots",
    response={201: dict},
    summary="Record a production lot (GS1 AI 10)",
    auth=seller_auth,
)
def post_lot(request: HttpRequest, variant_id: str, payload: LotIn) -> Status[dict[str, Any]]:
    require_scope(request, "catalog:write")
    variant = _own_variant(request, variant_id)
    lot = services.lot_record(
        actor=request.actor,  # type: ignore[attr-defined]
        variant=variant,
        code=payload.code,
        produced_on=payload.produced_on,
        quantity=payload.quantity,
        best_before=payload.best_before,
    )
    return Status(201, {"id": lot.public_id, "code": lot.code, "quantity": lot.quantity})


@router.post(
    "/seller/variants/{variant_id}/items",
    response={201: dict},
    summary="Give units serial numbers (GS1 AI 21)",
    auth=seller_auth,
)
def post_items(request: HttpRequest, variant_id: str, payload: ItemsIn) -> Status[dict[str, Any]]:
    require_scope(request, "catalog:write")
    variant = _own_variant(request, variant_id)
    lot = None
    if payload.lot is not None:
        lot = selectors.lot_of_variant(variant, payload.lot)
        if lot is None:
            raise invalid("lot", f"{variant.sku} has no lot {payload.lot!r}")
    items = services.items_serialise(
        actor=request.actor,  # type: ignore[attr-defined]
        variant=variant,
        serials=payload.serials,
        lot=lot,
    )
    return Status(
        201,
        {
            "items": [
                {"serial": i.serial, "digital_link": digital_link(gtin=i.gtin, serial=i.serial)}
                for i in items
            ]
        },
    )


@router.post(
    "/seller/certificates",
    response={201: dict},
    summary="Issue an authenticity certificate for a serialised item to a buyer",
    auth=seller_auth,
)
def post_certificate(request: HttpRequest, payload: CertificateIn) -> Status[dict[str, Any]]:
    require_scope(request, "catalog:write")
    item = selectors.seller_item(
        seller=request.seller,  # type: ignore[attr-defined]
        gtin14=_gtin(payload.gtin),
        serial=payload.serial,
    )
    if item is None:
        raise not_found("item", f"{payload.gtin}/{payload.serial}")
    holder = selectors.active_user(payload.holder)
    if holder is None:
        raise invalid("holder", f"no buyer {payload.holder!r}")
    certificate = services.certificate_issue(
        actor=request.actor,  # type: ignore[attr-defined]
        item=item,
        holder=holder,
    )
    return Status(
        201,
        {
            "id": certificate.public_id,
            "log_index": certificate.log_index,
            "holder": certificate.holder_ref,
        },
    )
