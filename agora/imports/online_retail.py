"""The UCI Online Retail importer: one CSV file per day of a UK gift-ware wholesaler's sales.

Reading and judging rows is pure (no database): :func:`classify_row` parses one row and either
accepts it or rejects it with a :class:`Reason`; :func:`read_day_file` reads one file into an
:class:`~agora.orders.services.ImportBatch` plus its counts. :func:`import_online_retail` then
walks a directory file by file, one transaction per file, through
:func:`agora.orders.services.order_import_batch`; memory holds one file at a time plus small
caches keyed by SKU and customer.

Decisions taken from the data (245 files, 370,931 rows; see ``../shared/data/online-retail``):

- The retailer is one seller (slug ``online-retail``, GB, payouts in GBP); each StockCode is the
  SKU of a one-variant product. StockCodes are upper-cased: ``85123a`` and ``85123A`` name the
  same goods (the 94 lower-case codes share their descriptions with their upper-case twins).
- ``InvoiceDate`` is wall-clock time in the UK (Europe/London, so BST from 27 March 2011) and is
  stored in UTC.
- Prices are GBP rounded half-even to pence by :func:`agora.core.money.quantize`; a price that
  rounds to 0p (``PADS`` is sold at £0.001) is a ``zero_price`` rejection, not a free product.
- A buyer is created for every CustomerID on a well-formed row, even when all of that
  customer's rows are rejected (a customer who only returned goods bought before the data set
  starts is still a customer). Rows without a CustomerID are guest sales (orders without a
  buyer); guest cancellations cannot be tied to an original sale and are rejected.
- ``line_no`` is the position of the row within its invoice in file order, counting rejected
  rows too, so a line keeps its number whatever the rules decide about its neighbours.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError

from agora.core.actors import Actor, system
from agora.core.errors import AgoraError
from agora.core.money import quantize
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition
from agora.marketplace.states import SellerState
from agora.orders.services import (
    ImportBatch,
    ImportBatchResult,
    ImportCache,
    ImportedBuyer,
    ImportedReturn,
    ImportedSale,
    order_import_batch,
)

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
CURRENCY = "GBP"
SOURCE_TIMEZONE = ZoneInfo("Europe/London")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
EMAIL_DOMAIN = "online-retail.invalid"
SELLER_SLUG = "online-retail"
MAX_TEXT = {"Description": 300, "Country": 60}

# StockCodes that are charges, fees or adjustments rather than goods; each seen in the data:
NON_PRODUCT_CODES = frozenset(
    {
        "POST",  # POSTAGE
        "DOT",  # DOTCOM POSTAGE
        "C2",  # CARRIAGE
        "M",  # Manual (free-text corrections, mostly on cancellations)
        "D",  # Discount
        "S",  # SAMPLES (credited back)
        "B",  # Adjust bad debt (the A-prefixed invoices)
        "BANK CHARGES",
        "AMAZONFEE",
        "CRUK",  # CRUK Commission (charity)
    }
)
# gift_0001_10 … gift_0001_50: "Dotcomgiftshop Gift Voucher £NN" — stored value, not goods.
GIFT_VOUCHER_PREFIX = "GIFT_"
_INVOICE = re.compile(r"^[A-Z]?\d{1,20}$")


class Reason(StrEnum):
    """Why a row was not imported. Checked in this order; the first that applies wins."""

    MALFORMED = "malformed"  # wrong column count, unparsable number or date, text too long
    NON_PRODUCT_CODE = "non_product_code"
    NEGATIVE_PRICE = "negative_price"
    NEGATIVE_QUANTITY = "negative_quantity"  # a sale (not a C invoice) of 0 or fewer units
    CANCELLATION_NOT_NEGATIVE = "cancellation_not_negative"  # a C invoice row with quantity >= 0
    ZERO_PRICE = "zero_price"  # 0 after rounding to pence
    CANCELLATION_WITHOUT_CUSTOMER = "cancellation_without_customer"
    DUPLICATE_ROW = "duplicate_row"  # same eight values as an earlier row of the invoice
    CANCELLATION_WITHOUT_ORIGINAL = "cancellation_without_original"  # decided against the DB


@dataclass(frozen=True, slots=True)
class Row:
    """A well-formed row, with values parsed into their types."""

    invoice: str
    sku: str
    description: str
    quantity: int
    at: datetime  # aware, UTC
    unit_price_minor: int
    customer_id: int | None
    country: str

    @property
    def is_cancellation(self) -> bool:
        return self.invoice.startswith("C")


@dataclass(frozen=True, slots=True)
class Rejection:
    reason: Reason
    detail: str
    row: Row | None = None  # the parsed row, unless the row is malformed


class NotACsvFile(Exception):
    """The file as a whole is not an Online Retail CSV file (wrong header, not text)."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: not an Online Retail CSV file: {why}")
        self.path = path


class ImportInputError(Exception):
    """The input cannot be imported at all (no such directory, no CSV files in it)."""


# --- one row --------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _parse_at(text: str) -> datetime:
    local = datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=SOURCE_TIMEZONE)
    return local.astimezone(UTC)


@lru_cache(maxsize=4096)
def _parse_price(text: str) -> tuple[Decimal, int]:
    value = Decimal(text.strip())
    if not value.is_finite():
        raise InvalidOperation(text)
    return value, quantize(value, CURRENCY)


@lru_cache(maxsize=8192)
def _parse_customer(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    value = Decimal(text)
    if not value.is_finite() or value != value.to_integral_value() or value <= 0:
        raise InvalidOperation(text)
    return int(value)


def _malformed(column: str, value: str, expected: str) -> Rejection:
    return Rejection(Reason.MALFORMED, f"{column} {value[:40]!r} is not {expected}")


def classify_row(fields: Sequence[str]) -> Row | Rejection:
    """Parses one CSV row (the eight columns of :data:`COLUMNS`) and judges it on its own.

    Duplicates need the rows before it (:func:`classify_rows`) and cancellations without an
    original need the database (the service), so neither is decided here.
    """
    if len(fields) != len(COLUMNS):
        return Rejection(Reason.MALFORMED, f"expected {len(COLUMNS)} columns, found {len(fields)}")
    (
        invoice_text,
        code,
        description,
        quantity_text,
        date_text,
        price_text,
        customer_text,
        country,
    ) = fields
    invoice = invoice_text.strip().upper()
    if not _INVOICE.match(invoice):
        return _malformed("InvoiceNo", invoice_text, "digits with an optional letter prefix")
    sku = code.strip().upper()
    if not sku or len(sku) > 64:
        return _malformed("StockCode", code, "1 to 64 characters")
    description, country = description.strip(), country.strip()
    for column, value in (("Description", description), ("Country", country)):
        if len(value) > MAX_TEXT[column]:
            return _malformed(column, value, f"at most {MAX_TEXT[column]} characters")
    try:
        quantity = int(quantity_text)
    except ValueError:
        return _malformed("Quantity", quantity_text, "a whole number")
    try:
        at = _parse_at(date_text)
    except ValueError:
        return _malformed("InvoiceDate", date_text, "a date like 2011-01-31 14:05:00")
    try:
        price, price_minor = _parse_price(price_text)
    except (InvalidOperation, ValueError):
        return _malformed("UnitPrice", price_text, "a decimal amount like 2.55")
    try:
        customer_id = _parse_customer(customer_text)
    except (InvalidOperation, ValueError):
        return _malformed("CustomerID", customer_text, "empty or a positive whole number")
    row = Row(invoice, sku, description, quantity, at, price_minor, customer_id, country)

    if sku in NON_PRODUCT_CODES or sku.startswith(GIFT_VOUCHER_PREFIX):
        return Rejection(Reason.NON_PRODUCT_CODE, f"StockCode {sku} is not goods", row)
    if price < 0:
        return Rejection(Reason.NEGATIVE_PRICE, f"UnitPrice {price_text} is negative", row)
    if row.is_cancellation and quantity >= 0:
        detail = f"cancellation {invoice} has Quantity {quantity}; expected below 0"
        return Rejection(Reason.CANCELLATION_NOT_NEGATIVE, detail, row)
    if not row.is_cancellation and quantity <= 0:
        detail = f"sale {invoice} has Quantity {quantity}; expected 1 or more"
        return Rejection(Reason.NEGATIVE_QUANTITY, detail, row)
    if price_minor == 0:
        return Rejection(Reason.ZERO_PRICE, f"UnitPrice {price_text} is 0 in pence", row)
    if row.is_cancellation and customer_id is None:
        detail = f"cancellation {invoice} has no CustomerID to find the original sale by"
        return Rejection(Reason.CANCELLATION_WITHOUT_CUSTOMER, detail, row)
    return row


def classify_rows(
    rows: Iterable[Sequence[str]],
) -> Iterator[tuple[int, str, Row | Rejection]]:
    """Yields ``(line_no, invoice, verdict)`` for each row of one file, in order: ``line_no``
    is the row's position within its invoice (from 1), and an exact repeat of an earlier row
    of the same invoice is rejected as a duplicate. Rows of one invoice are in one file."""
    positions: Counter[str] = Counter()
    seen: set[tuple[str, ...]] = set()
    for fields in rows:
        invoice = fields[0].strip().upper() if fields else ""
        positions[invoice] += 1
        verdict = classify_row(fields)
        if isinstance(verdict, Row):
            key = tuple(fields)
            if key in seen:
                verdict = Rejection(
                    Reason.DUPLICATE_ROW,
                    f"repeats an earlier row of invoice {invoice} exactly",
                    verdict,
                )
            seen.add(key)
        yield positions[invoice], invoice, verdict


def customer_email(customer_id: int) -> str:
    return f"customer-{customer_id}@{EMAIL_DOMAIN}"


def _customer_of(email: str) -> str:
    return email.partition("@")[0].removeprefix("customer-")


# --- one file -------------------------------------------------------------------------------


@dataclass
class RejectedExample:
    file: str
    line: int  # line of the file, the header being line 1
    invoice: str
    reason: str
    detail: str


@dataclass
class DayFile:
    """One file read and judged: the batch for the database and the counts for the report."""

    path: Path
    batch: ImportBatch
    rows: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    customers: set[int] = field(default_factory=set)
    skus: set[str] = field(default_factory=set)
    examples: list[RejectedExample] = field(default_factory=list)
    file_lines: dict[tuple[str, int], int] = field(default_factory=dict)  # returns only


def _decode(path: Path) -> str:
    data = path.read_bytes()
    nul = data.find(b"\0")
    if nul >= 0:
        raise NotACsvFile(path, f"binary content (a NUL byte at offset {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        why = f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start})"
        raise NotACsvFile(path, why) from exc


def read_day_file(path: Path, *, examples_per_reason: int = 3) -> DayFile:
    """Reads and judges one file without touching the database. Raises :class:`NotACsvFile`
    for a file that is not this data set's CSV; then nothing of it may be written."""
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise NotACsvFile(path, "the file is empty (expected a header line)")
        if tuple(h.strip() for h in header) != COLUMNS:
            raise NotACsvFile(
                path, f"header is {','.join(header)[:120]!r}; expected {','.join(COLUMNS)!r}"
            )
        day = DayFile(
            path=path, batch=ImportBatch(source=path.name, currency=CURRENCY, invoices=set())
        )
        for line_no, invoice, verdict in classify_rows(reader):
            _take(day, reader.line_num, line_no, invoice, verdict, examples_per_reason)
    except csv.Error as exc:
        raise NotACsvFile(path, f"line {reader.line_num}: {exc}") from exc
    return day


def _take(
    day: DayFile, file_line: int, line_no: int, invoice: str, verdict: Row | Rejection, keep: int
) -> None:
    day.rows += 1
    if invoice:
        day.batch.invoices.add(invoice)
    row = verdict if isinstance(verdict, Row) else verdict.row
    email = None
    if row is not None and row.customer_id is not None:
        day.customers.add(row.customer_id)
        email = customer_email(row.customer_id)
        if email not in day.batch.buyers:
            day.batch.buyers[email] = ImportedBuyer(
                email=email, display_name=f"Customer {row.customer_id}", first_seen=row.at
            )
    if isinstance(verdict, Rejection):
        day.rejected[verdict.reason] += 1
        if sum(e.reason == verdict.reason for e in day.examples) < keep:
            day.examples.append(
                RejectedExample(day.path.name, file_line, invoice, verdict.reason, verdict.detail)
            )
        return
    assert row is not None
    if row.is_cancellation:
        assert email is not None
        day.batch.returns.append(
            ImportedReturn(row.invoice, line_no, row.sku, -row.quantity, row.at, email)
        )
        day.file_lines[(row.invoice, line_no)] = file_line
    else:
        day.skus.add(row.sku)
        day.batch.sales.append(
            ImportedSale(
                row.invoice,
                line_no,
                row.sku,
                row.description,
                row.quantity,
                row.unit_price_minor,
                row.at,
                email,
                row.country,
            )
        )


# --- a directory ----------------------------------------------------------------------------


def day_files(directory: Path) -> list[Path]:
    """The ``*.csv`` files of ``directory`` in name order (by-day names sort by date)."""
    if not directory.exists():
        raise ImportInputError(f"{directory}: no such directory")
    if not directory.is_dir():
        raise ImportInputError(f"{directory}: not a directory (expected a folder of CSV files)")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise ImportInputError(f"{directory}: holds no .csv files")
    return files


@dataclass
class ImportReport:
    files: int = 0
    rows: int = 0
    rows_accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    invoices: set[str] = field(default_factory=set)
    orders: int = 0
    new_orders: int = 0
    new_lines: int = 0
    customers: set[int] = field(default_factory=set)
    new_customers: int = 0
    products: set[str] = field(default_factory=set)
    new_products: int = 0
    new_title_changes: int = 0
    new_price_changes: int = 0
    returns_accepted: int = 0
    new_return_lines: int = 0
    failed_files: list[dict[str, str]] = field(default_factory=list)
    examples: list[RejectedExample] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON types, sets replaced by their sizes."""
        return {
            "files": self.files,
            "files_failed": len(self.failed_files),
            "rows": self.rows,
            "rows_accepted": self.rows_accepted,
            "rejected": dict(sorted(self.rejected.items())),
            "invoices": len(self.invoices),
            "orders": self.orders,
            "new_orders": self.new_orders,
            "new_lines": self.new_lines,
            "customers": len(self.customers),
            "new_customers": self.new_customers,
            "products": len(self.products),
            "new_products": self.new_products,
            "new_title_changes": self.new_title_changes,
            "new_price_changes": self.new_price_changes,
            "returns_accepted": self.returns_accepted,
            "new_return_lines": self.new_return_lines,
            "seconds": round(self.seconds, 3),
            "rows_per_s": round(self.rows / self.seconds) if self.seconds else None,
            "failed_files": self.failed_files,
            "rejected_examples": [vars(e) for e in self.examples],
        }


def retailer_seller(actor: Actor) -> Seller:
    """The seller holding the data set: created and made active on the first run, found by its
    slug afterwards. A seller an operator suspended is not silently re-activated."""
    seller = Seller.objects.filter(slug=SELLER_SLUG).first()
    if seller is None:
        seller = seller_apply(
            actor=actor,
            display_name="Online Retail (UCI)",
            legal_name="UK online gift-ware retailer (UCI Online Retail data set)",
            country="GB",
            payout_currency=CURRENCY,
            slug=SELLER_SLUG,
        )
    if seller.state == SellerState.APPLIED:
        seller = seller_transition(actor=actor, seller=seller, to=SellerState.VERIFIED)
    if seller.state == SellerState.VERIFIED:
        seller = seller_transition(actor=actor, seller=seller, to=SellerState.ACTIVE)
    if seller.state != SellerState.ACTIVE:
        raise ImportInputError(
            f"seller {SELLER_SLUG!r} is {seller.state}; make it active before importing into it"
        )
    return seller


FileCallback = Callable[[Path, "DayFile | None", ImportReport], None]


def import_online_retail(
    directory: Path,
    *,
    actor: Actor | None = None,
    on_file: FileCallback | None = None,
    examples_per_reason: int = 3,
) -> ImportReport:
    """Imports every ``*.csv`` of ``directory``, one transaction per file, and reports.

    A file that is not this data set's CSV is recorded in ``failed_files`` and skipped whole;
    the other files are still imported (the caller decides the exit status). Re-running over
    the same files writes nothing and reports ``new_orders == 0``.
    """
    files = day_files(directory)
    actor = actor or system("import online-retail")
    started = time.perf_counter()
    report = ImportReport()
    seller = retailer_seller(actor)
    cache = ImportCache()
    for path in files:
        day: DayFile | None = None
        try:
            day = read_day_file(path, examples_per_reason=examples_per_reason)
            result = order_import_batch(actor=actor, seller=seller, batch=day.batch, cache=cache)
        except NotACsvFile as exc:
            report.failed_files.append({"file": str(path), "error": str(exc)})
            day = None
        except (DatabaseError, AgoraError) as exc:
            report.failed_files.append({"file": str(path), "error": f"{path}: {exc}"})
            day = None
        else:
            _add(report, day, result, examples_per_reason)
        report.files += 1
        report.seconds = time.perf_counter() - started
        if on_file is not None:
            on_file(path, day, report)
    report.seconds = time.perf_counter() - started
    return report


def _add(report: ImportReport, day: DayFile, result: ImportBatchResult, keep: int) -> None:
    """Adds one imported file to the run's figures; returns that found no original sale become
    ``cancellation_without_original`` rejections."""
    rejected = Counter(day.rejected)
    examples = list(day.examples)
    for r in result.unmatched_returns:
        reason = Reason.CANCELLATION_WITHOUT_ORIGINAL
        rejected[reason] += 1
        if sum(e.reason == reason for e in examples) < keep:
            detail = (
                f"no earlier line of customer {_customer_of(r.buyer_email)} for {r.sku} "
                f"with {r.quantity} unit(s) not yet returned"
            )
            line = day.file_lines[(r.invoice, r.line_no)]
            examples.append(RejectedExample(day.path.name, line, r.invoice, reason, detail))
    report.rows += day.rows
    report.rejected.update(rejected)
    report.rows_accepted += day.rows - sum(rejected.values())
    report.invoices.update(day.batch.invoices)
    report.orders += result.orders
    report.new_orders += result.new_orders
    report.new_lines += result.new_lines
    report.customers.update(day.customers)
    report.new_customers += result.new_buyers
    report.products.update(day.skus)
    report.new_products += result.new_products
    report.new_title_changes += result.new_title_changes
    report.new_price_changes += result.new_price_changes
    report.returns_accepted += len(day.batch.returns) - len(result.unmatched_returns)
    report.new_return_lines += result.new_return_lines
    for example in examples:
        if sum(e.reason == example.reason for e in report.examples) < keep:
            report.examples.append(example)
