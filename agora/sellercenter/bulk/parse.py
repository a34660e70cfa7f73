"""Reading and checking a product CSV, row by row, before anything is written.

Pure: no database. What the check needs from stored data (the category slugs, the SKUs the
seller already uses) comes in as plain sets, so the rules are tested without a database and the
writer (:mod:`agora.sellercenter.bulk.load`) receives only drafts that passed. Row numbers are
the file's line numbers as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from agora.catalog.services import MAX_WEIGHT_GRAMS
from agora.core.money import MoneyError, exponent, normalize_currency, quantize
from agora.pricing.services import MAX_AMOUNT_MINOR
from agora.sellercenter.bulk.columns import NAMES, PRODUCT_LEVEL, REQUIRED

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
LIMITS = {
    "handle": 100,
    "title": 300,
    "title_zh_hans": 300,
    "sku": 64,
    "variant_title": 200,
    "description": 20000,
    "description_zh_hans": 20000,
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str | Promise


@dataclass
class VariantDraft:
    row: int
    sku: str
    gtin: str
    title: str
    options: dict[str, str]
    weight_grams: int | None
    currency: str
    price_minor: int


@dataclass
class ProductDraft:
    handle: str
    first_row: int
    title: str = ""
    description: str = ""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    category: str = ""
    variants: list[VariantDraft] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class ParseResult:
    products: list[ProductDraft]
    errors: list[RowError]
    rows: int  # data rows read

    @property
    def bad_rows(self) -> set[int]:
        return {e.row for e in self.errors}

    @property
    def valid_products(self) -> list[ProductDraft]:
        """Products none of whose rows has an error (a product is imported whole or not)."""
        bad = self.bad_rows
        return [p for p in self.products if not bad.intersection(p.rows)]

    @property
    def file_refused(self) -> bool:
        """An error of the file itself (row 1: header, encoding, size): nothing can be read."""
        return any(e.row <= 1 for e in self.errors)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_csv(data: bytes, *, categories: set[str], taken_skus: set[str]) -> ParseResult:
    """Checks every row of ``data`` and returns the drafts with every error found (not just the
    first), so the seller can fix the whole file at once."""
    if len(data) > MAX_BYTES:
        return _refused(_("The file is larger than 5 MB; split it into several uploads."))
    text = _decode(data)
    if text is None:
        return _refused(_("The file is not UTF-8 text; save it as “CSV UTF-8”."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    errors = _check_header(header)
    if errors:
        return ParseResult([], errors, 0)
    reader.fieldnames = header
    products: dict[str, ProductDraft] = {}
    seen_skus: dict[str, int] = {}
    count = 0
    try:
        for count, raw in enumerate(reader, start=1):
            if count > MAX_ROWS:
                return _refused(_("The file has more than 5000 rows; split it."))
            row_no = count + 1
            if None in raw:  # more cells than header columns
                errors.append(RowError(row_no, "", _("This row has more cells than the header.")))
                continue
            values = {k: (v or "").strip() for k, v in raw.items()}
            if not any(values.values()):
                continue  # a blank line
            _check_row(row_no, values, products, seen_skus, categories, taken_skus, errors)
    except csv.Error as exc:
        errors.append(
            RowError(count + 1, "", _("The CSV cannot be read here: %(why)s") % {"why": exc})
        )
    if count == 0 and not errors:
        errors.append(RowError(2, "", _("The file has a header but no rows.")))
    return ParseResult(list(products.values()), errors, count)


def _refused(message: str | Promise) -> ParseResult:
    return ParseResult([], [RowError(1, "", message)], 0)


def _check_header(header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    if not header:
        return [RowError(1, "", _("The file is empty."))]
    for name in header:
        if name not in NAMES:
            errors.append(RowError(1, name, _("Unknown column; see the documented columns.")))
    for name in NAMES:
        if name in REQUIRED and name not in header:
            errors.append(RowError(1, name, _("This required column is missing.")))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("A column appears twice in the header.")))
    return errors


def _check_row(
    row: int,
    values: dict[str, str],
    products: dict[str, ProductDraft],
    seen_skus: dict[str, int],
    categories: set[str],
    taken_skus: set[str],
    errors: list[RowError],
) -> None:
    def bad(column: str, message: str | Promise) -> None:
        errors.append(RowError(row, column, message))

    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            bad(name, _("Longer than %(limit)s characters.") % {"limit": limit})
    handle = values.get("handle", "")
    if not handle:
        bad("handle", _("Required."))
        handle = f"(row {row})"
    product = products.get(handle)
    if product is None:
        product = products[handle] = _start_product(row, handle, values, categories, bad)
    else:
        for name in PRODUCT_LEVEL:
            if values.get(name) and values[name] != _product_value(product, name):
                bad(
                    name,
                    _("Differs from row %(row)s of the same handle; leave it empty on later rows.")
                    % {"row": product.first_row},
                )
    product.rows.append(row)

    sku = values.get("sku", "")
    if not sku:
        bad("sku", _("Required."))
    elif sku in taken_skus:
        bad("sku", _("You already have a variant with this SKU."))
    elif sku in seen_skus:
        bad("sku", _("Also used on row %(row)s.") % {"row": seen_skus[sku]})
    else:
        seen_skus[sku] = row
    gtin = values.get("gtin", "")
    if gtin:
        try:
            gtin = ean.validate(gtin)
        except StdnumError:
            bad("gtin", _("Not a valid GTIN (check the digits and the check digit)."))
    options: dict[str, str] = {}
    for part in values.get("options", "").split(";"):
        if part.strip():
            name, sep, value = part.partition("=")
            if not sep or not name.strip() or not value.strip():
                bad("options", _("Write name=value pairs separated by semicolons."))
                break
            options[name.strip()] = value.strip()
    weight = _weight(values.get("weight_grams", ""), bad)
    currency, price = _price(values.get("currency", ""), values.get("price", ""), bad)
    product.variants.append(
        VariantDraft(
            row, sku, gtin, values.get("variant_title", ""), options, weight, currency, price
        )
    )


def _start_product(
    row: int, handle: str, values: dict[str, str], categories: set[str], bad
) -> ProductDraft:  # type: ignore[no-untyped-def]
    title = values.get("title", "")
    if not title:
        bad("title", _("Required on the first row of a handle."))
    category = values.get("category", "")
    if category and category not in categories:
        bad("category", _("No category with this slug."))
    translations = {
        "zh-hans": {
            k: v
            for k, v in (
                ("title", values.get("title_zh_hans", "")),
                ("description", values.get("description_zh_hans", "")),
            )
            if v
        }
    }
    return ProductDraft(
        handle=handle,
        first_row=row,
        title=title,
        description=values.get("description", ""),
        translations={k: v for k, v in translations.items() if v},
        category=category,
    )


def _product_value(product: ProductDraft, column: str) -> str:
    zh = product.translations.get("zh-hans", {})
    return {
        "title": product.title,
        "description": product.description,
        "title_zh_hans": zh.get("title", ""),
        "description_zh_hans": zh.get("description", ""),
        "category": product.category,
    }[column]


def _weight(text: str, bad) -> int | None:  # type: ignore[no-untyped-def]
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_WEIGHT_GRAMS:
        bad("weight_grams", _("Give whole grams, 0 or more."))
        return None
    return int(text)


def _price(currency_text: str, price_text: str, bad) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    currency = ""
    if not currency_text:
        bad("currency", _("Required."))
    else:
        try:
            currency = normalize_currency(currency_text)
        except MoneyError:
            bad("currency", _("Not a currency code; use three letters such as EUR."))
    if not price_text:
        bad("price", _("Required."))
        return currency, 0
    try:
        amount = Decimal(price_text)
    except InvalidOperation:
        bad("price", _("Not a number; write it like 12.99 (a dot, no currency sign)."))
        return currency, 0
    if not amount.is_finite() or amount < 0:
        bad("price", _("A price is a number of zero or more."))
        return currency, 0
    if currency:
        places = exponent(currency)
        if -amount.as_tuple().exponent > places:  # type: ignore[operator]
            bad(
                "price",
                _("%(currency)s has %(places)s decimal places; this price has more.")
                % {"currency": currency, "places": places},
            )
            return currency, 0
        minor = quantize(amount, currency)
        if minor > MAX_AMOUNT_MINOR:
            bad("price", _("This price is too large."))
            return currency, 0
        return currency, minor
    return currency, 0
