"""Offers and units: what a seller puts up for rent, on which terms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from agora.catalog.models import Product, Variant
from agora.circular.models import (
    RentalOffer,
    RentalUnit,
)
from agora.circular.rental.services._common import (
    OFFER_SCOPE,
    money_field,
)
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record, diff
from agora.core.errors import (
    VALIDATION,
    AgoraError,
    FieldError,
    invalid,
    not_found,
    require_max_length,
)
from agora.core.money import MoneyError, normalize_currency
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access

TERMS = (
    "currency",
    "price_per_day_minor",
    "price_per_month_minor",
    "deposit_minor",
    "late_fee_per_day_minor",
    "min_days",
    "max_days",
)


def _check_terms(terms: Mapping[str, Any]) -> dict[str, Any]:
    """Validates an offer's terms; returns them with the currency normalised."""
    try:
        currency = normalize_currency(terms["currency"])
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    money_field("price_per_day_minor", terms["price_per_day_minor"], optional=True)
    money_field("price_per_month_minor", terms["price_per_month_minor"], optional=True)
    if terms["price_per_day_minor"] is None and terms["price_per_month_minor"] is None:
        raise AgoraError(
            VALIDATION,
            "an offer needs a price per day, a price per month or both",
            [FieldError("price_per_day_minor", "give a day price, a month price or both")],
        )
    money_field("deposit_minor", terms["deposit_minor"])
    money_field("late_fee_per_day_minor", terms["late_fee_per_day_minor"])
    for name in ("min_days", "max_days"):
        value = terms[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3660:
            raise invalid(name, f"{value!r} is not a number of days from 1 to 3660")
    if terms["max_days"] < terms["min_days"]:
        raise invalid(
            "max_days", f"{terms['max_days']} is less than min_days ({terms['min_days']})"
        )
    return {**terms, "currency": currency}


def rental_offer_create(
    *,
    actor: Actor,
    seller: Seller,
    product: Product,
    variant: Variant | None = None,
    currency: str,
    price_per_day_minor: int | None = None,
    price_per_month_minor: int | None = None,
    deposit_minor: int = 0,
    late_fee_per_day_minor: int = 0,
    min_days: int = 1,
    max_days: int = 365,
) -> RentalOffer:
    """Offers ``product`` (or one ``variant``) of ``seller`` for rent on these terms."""
    require_seller_access(actor, seller, OFFER_SCOPE)
    if product.seller_id != seller.pk:
        raise not_found("product", product.public_id)
    if variant is not None and variant.product_id != product.pk:
        raise invalid("variant", f"{variant.public_id} is not a variant of {product.public_id}")
    terms = _check_terms(
        {
            "currency": currency,
            "price_per_day_minor": price_per_day_minor,
            "price_per_month_minor": price_per_month_minor,
            "deposit_minor": deposit_minor,
            "late_fee_per_day_minor": late_fee_per_day_minor,
            "min_days": min_days,
            "max_days": max_days,
        }
    )
    with transaction.atomic():
        now = clock.now()
        offer = RentalOffer.objects.create(
            seller=seller, product=product, variant=variant, created_at=now, updated_at=now, **terms
        )
        audit_record(
            actor=actor,
            action="rental.offer_created",
            target=offer,
            seller_id=seller.pk,
            changes={**terms, "product": product.public_id},
        )
    return offer


def rental_offer_update(
    *, actor: Actor, offer: RentalOffer, changes: Mapping[str, Any]
) -> RentalOffer:
    """Changes an offer's terms or switches it on/off. Existing bookings keep the prices they
    were made with (copied onto the booking)."""
    require_seller_access(actor, offer.seller, OFFER_SCOPE)
    unknown = sorted(set(changes) - {*TERMS, "active"})
    if unknown:
        raise invalid(unknown[0], f"is not a field of an offer (known: {', '.join(TERMS)}, active)")
    if "active" in changes and not isinstance(changes["active"], bool):
        raise invalid("active", "must be true or false")
    with transaction.atomic():
        offer = RentalOffer.objects.select_for_update().get(pk=offer.pk)
        merged = {name: changes.get(name, getattr(offer, name)) for name in TERMS}
        new_values = {
            **_check_terms(merged),
            **({"active": changes["active"]} if "active" in changes else {}),
        }
        changed = diff(offer, new_values)
        if changed:
            for name, value in new_values.items():
                setattr(offer, name, value)
            offer.updated_at = clock.now()
            offer.save()
            audit_record(
                actor=actor,
                action="rental.offer_updated",
                target=offer,
                seller_id=offer.seller_id,
                changes=changed,
            )
    return offer


def rental_unit_add(
    *, actor: Actor, offer: RentalOffer, label: str, gtin: str = "", serial: str = ""
) -> RentalUnit:
    """Adds one physical unit to an offer, optionally named by its GS1 GTIN + serial number
    (the item's traceability identity; not a foreign key, so circular stays independent)."""
    require_seller_access(actor, offer.seller, OFFER_SCOPE)
    label, gtin, serial = label.strip(), gtin.strip(), serial.strip()
    if not label:
        raise invalid("label", "give the unit a label the seller recognises (e.g. 'Drill #2')")
    require_max_length("label", label, 100)
    if serial and not gtin:
        raise invalid("gtin", "a serial number needs the GTIN it belongs to")
    if gtin:
        try:
            gtin = ean.validate(gtin).zfill(14)
        except StdnumError as exc:
            raise invalid("gtin", f"{gtin!r} is not a valid GTIN: {exc}") from None
    require_max_length("serial", serial, 20)
    with transaction.atomic():
        if RentalUnit.objects.filter(offer=offer, label=label).exists():
            raise invalid("label", f"the offer already has a unit labelled {label!r}")
        unit = RentalUnit.objects.create(
            offer=offer,
            seller_id=offer.seller_id,
            label=label,
            gtin=gtin,
            serial=serial,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="rental.unit_added",
            target=unit,
            seller_id=offer.seller_id,
            changes={"offer": offer.public_id, "label": label, "gtin": gtin, "serial": serial},
        )
    return unit
