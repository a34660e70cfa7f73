"""Reading and judging the Online Retail files, without the database.

:func:`classify_row` parses one row and either accepts it or rejects it with a :class:`Reason`;
:func:`classify_rows` adds what needs the rows before (line numbers, duplicates);
:func:`read_day_file` reads one file into an :class:`~agora.orders.imports.ImportBatch` plus the
counts of its report. The decisions taken from the data are listed in the package docstring.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from agora.core.money import quantize
from agora.orders.imports import ImportBatch, ImportedBuyer, ImportedReturn, ImportedSale

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


def customer_of(email: str) -> str:
    """The CustomerID of an email made by :func:`customer_email`."""
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
