"""The documented column set of the product CSV upload (also the downloadable template).

One row is one variant; rows sharing a ``handle`` are the variants of one product, and the
product's own columns are read from the first of them (later rows leave them empty or repeat
them exactly).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    product_level: bool
    help: str | Promise


COLUMNS: tuple[Column, ...] = (
    Column(
        "handle",
        True,
        True,
        _("Your key for the product; rows with the same handle are its variants."),
    ),
    Column("title", True, True, _("Product title in English (first row of a handle).")),
    Column("title_zh_hans", False, True, _("Product title in Simplified Chinese.")),
    Column("description", False, True, _("Description in English.")),
    Column("description_zh_hans", False, True, _("Description in Simplified Chinese.")),
    Column("category", False, True, _("Category slug, e.g. kitchen (see the list below).")),
    Column("sku", True, False, _("Stock keeping unit, unique among your variants.")),
    Column("gtin", False, False, _("EAN/UPC barcode with a valid check digit.")),
    Column("variant_title", False, False, _("Name of the variant, e.g. Large / red.")),
    Column(
        "options",
        False,
        False,
        _("name=value pairs separated by semicolons, e.g. size=L; colour=red."),
    ),
    Column("weight_grams", False, False, _("Whole grams, 0 or more.")),
    Column("currency", True, False, _("ISO 4217 code of the price, e.g. EUR.")),
    Column("price", True, False, _("Price in major units with a dot, e.g. 12.99.")),
)
NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = frozenset(c.name for c in COLUMNS if c.required)
PRODUCT_LEVEL = tuple(c.name for c in COLUMNS if c.product_level and c.name != "handle")

EXAMPLE_ROWS = (
    {
        "handle": "tea-cup",
        "title": "Porcelain tea cup",
        "title_zh_hans": "瓷茶杯",
        "description": "Hand-glazed, 200 ml.",
        "description_zh_hans": "手工上釉，200 毫升。",  # noqa: RUF001
        "category": "",
        "sku": "CUP-WHITE",
        "gtin": "4006381333931",
        "variant_title": "White",
        "options": "colour=white",
        "weight_grams": "180",
        "currency": "EUR",
        "price": "12.99",
    },
    {
        "handle": "tea-cup",
        "sku": "CUP-BLUE",
        "variant_title": "Blue",
        "options": "colour=blue",
        "weight_grams": "180",
        "currency": "EUR",
        "price": "13.99",
    },
)
