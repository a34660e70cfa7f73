"""The write of a product's carbon footprint (one row per product, replaced when re-entered)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from agora.catalog.models import Product
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, FieldError
from agora.marketplace.permissions import require_seller_access
from agora.sustainability.models import ProductFootprint
from agora.sustainability.products.averages import average_get
from agora.sustainability.products.errors import FOOTPRINT_INVALID
from agora.sustainability.products.selectors import category_slugs

Basis = ProductFootprint.Basis
MAX_KG = Decimal("999999999.999")


def _invalid(field: str, message: str) -> AgoraError:
    return AgoraError(FOOTPRINT_INVALID, f"{field}: {message}", [FieldError(field, message)])


def _decimal(field: str, value: Any, *, places: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid(field, f"{value!r} is not a number") from None
    if not number.is_finite() or number <= 0 or number > MAX_KG:
        raise _invalid(field, f"{number} must be more than 0 and at most {MAX_KG}")
    return number.quantize(Decimal(places))


def footprint_set(
    *,
    actor: Actor,
    product: Product,
    basis: str,
    assessed_on: date,
    kg_co2e: Any = None,
    reference: str = "",
    average_key: str = "",
    functional_units: Any = 1,
) -> ProductFootprint:
    """States the product's footprint per unit with its basis. For a category average the
    figure comes from the cited table (the row's value times ``functional_units``), never from
    the seller; for the other bases the seller gives the figure and its reference."""
    require_seller_access(actor, product.seller, "catalog:write")
    if basis not in Basis.values:
        raise _invalid("basis", f"{basis!r} is not one of {', '.join(Basis.values)}")
    if assessed_on > clock.now().date():
        raise _invalid("assessed_on", f"{assessed_on} is in the future")
    units = Decimal(1)
    if basis == Basis.CATEGORY_AVERAGE:
        row = average_get(average_key)
        if row is None:
            raise _invalid("average_key", f"{average_key!r} is not a row of the averages table")
        if not row.fits(category_slugs(product)):
            raise _invalid(
                "average_key", f"{row.key} is for {', '.join(sorted(row.categories))}, not for "
                "this product's category"
            )  # fmt: skip
        units = _decimal("functional_units", functional_units, places="0.0001")
        kg = (row.kg_co2e * units).quantize(Decimal("0.001"))
        reference = row.key
    else:
        if kg_co2e is None or str(kg_co2e).strip() == "":
            raise _invalid("kg_co2e", "give the footprint in kg CO2e per unit")
        kg = _decimal("kg_co2e", kg_co2e, places="0.001")
        reference = reference.strip()
        if not reference:
            what = {"lca": "the study's title", "epd": "the EPD registration number",
                    "supplier": "the supplier and their declaration"}[basis]  # fmt: skip
            raise _invalid("reference", f"give {what}")
        if len(reference) > 300:
            raise _invalid("reference", "at most 300 characters")
    with transaction.atomic():
        row_now = ProductFootprint.objects.select_for_update().filter(product=product).first()
        before = (
            {"kg_co2e": str(row_now.kg_co2e), "basis": row_now.basis,
             "reference": row_now.reference}
            if row_now else None
        )  # fmt: skip
        footprint = row_now or ProductFootprint(product=product, seller=product.seller)
        footprint.kg_co2e = kg
        footprint.basis = basis
        footprint.reference = reference
        footprint.functional_units = units
        footprint.assessed_on = assessed_on
        footprint.updated_at = clock.now()
        footprint.save()
        audit_record(
            actor=actor,
            action="product_footprint.set",
            target=footprint,
            changes={"before": before, "kg_co2e": str(kg), "basis": basis,
                     "reference": reference, "product": product.public_id},
            seller_id=product.seller_id,
        )  # fmt: skip
    return footprint
