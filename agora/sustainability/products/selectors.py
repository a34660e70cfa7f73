"""Reads of product footprints: what the product page and the passport show."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agora.catalog.models import Category, Product
from agora.sustainability.models import ProductFootprint
from agora.sustainability.products.averages import average_get, averages_for


def category_slugs(product: Product) -> set[str]:
    """The product's category and its ancestors' slugs (an average for "books" fits fiction)."""
    slugs: set[str] = set()
    category_id = product.category_id
    seen = 0
    while category_id is not None and seen < 10:
        row = Category.objects.filter(pk=category_id).values("slug", "parent_id").first()
        if row is None:
            break
        slugs.add(row["slug"])
        category_id = row["parent_id"]
        seen += 1
    return slugs


def averages_for_product(product: Product) -> list[Any]:
    return averages_for(category_slugs(product))


def footprint_get(product: Product) -> ProductFootprint | None:
    return ProductFootprint.objects.filter(product=product).first()


def _plain(value: Decimal) -> Decimal:
    """14.500 -> 14.5 and 165.000 -> 165 (never 1.65E+2), for pages to print as is."""
    return Decimal(f"{value.normalize():f}")


def product_footprint(product_public_id: str) -> dict[str, Any] | None:
    """The ``product_footprint`` extension point: the footprint with its basis, or None.

    ``{'kg_co2e': Decimal, 'basis': code, 'basis_label': str, 'reference': str,
    'assessed_on': date, 'is_average': bool, 'average': {description, per, scope, source,
    year, url, kg_co2e, functional_units} | None}``
    """
    row = (
        ProductFootprint.objects.filter(product__public_id=product_public_id)
        .values("kg_co2e", "basis", "reference", "assessed_on", "functional_units")
        .first()
    )
    if row is None:
        return None
    is_average = row["basis"] == ProductFootprint.Basis.CATEGORY_AVERAGE
    average = average_get(row["reference"]) if is_average else None
    return {
        "kg_co2e": _plain(row["kg_co2e"]),
        "basis": row["basis"],
        "basis_label": str(ProductFootprint.Basis(row["basis"]).label),
        "reference": row["reference"],
        "assessed_on": row["assessed_on"],
        "is_average": is_average,
        "average": None
        if average is None
        else {
            "description": average.description,
            "per": average.per,
            "scope": average.scope,
            "source": average.source,
            "year": average.year,
            "url": average.url,
            "kg_co2e": average.kg_co2e,
            "functional_units": _plain(row["functional_units"]),
        },
    }
