"""Row classification of the Online Retail importer: pure functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agora.imports.online_retail import (
    COLUMNS,
    NotACsvFile,
    Reason,
    Row,
    classify_row,
    classify_rows,
    read_day_file,
)

HEADER = ",".join(COLUMNS)


def row(
    invoice: str = "536365",
    code: str = "85123A",
    description: str = "WHITE HANGING HEART T-LIGHT HOLDER",
    quantity: str = "6",
    date: str = "2010-12-01 08:26:00",
    price: str = "2.55",
    customer: str = "17850.0",
    country: str = "United Kingdom",
) -> list[str]:
    return [invoice, code, description, quantity, date, price, customer, country]


def reason(fields: list[str]) -> str:
    verdict = classify_row(fields)
    return "accepted" if isinstance(verdict, Row) else verdict.reason


def test_a_plain_sale_is_parsed_into_types():
    verdict = classify_row(row())
    assert verdict == Row(
        invoice="536365",
        sku="85123A",
        description="WHITE HANGING HEART T-LIGHT HOLDER",
        quantity=6,
        at=datetime(2010, 12, 1, 8, 26, tzinfo=UTC),
        unit_price_minor=255,
        customer_id=17850,
        country="United Kingdom",
    )
    assert not verdict.is_cancellation


def test_summer_times_are_uk_wall_clock_stored_in_utc():
    verdict = classify_row(row(date="2011-06-01 07:37:00"))
    assert isinstance(verdict, Row)
    assert verdict.at == datetime(2011, 6, 1, 6, 37, tzinfo=UTC)


def test_stock_codes_are_upper_cased_and_text_is_trimmed():
    verdict = classify_row(row(code=" 85123a", description="FOOD COVER ", country=" EIRE"))
    assert isinstance(verdict, Row)
    assert (verdict.sku, verdict.description, verdict.country) == ("85123A", "FOOD COVER", "EIRE")


def test_a_guest_row_has_no_customer_and_is_accepted():
    verdict = classify_row(row(customer=""))
    assert isinstance(verdict, Row) and verdict.customer_id is None


@pytest.mark.parametrize(
    ("fields", "column"),
    [
        (row(quantity="six"), "Quantity"),
        (row(quantity="1.5"), "Quantity"),
        (row(date="2010-13-01 08:26:00"), "InvoiceDate"),
        (row(date="01/12/2010 08:26"), "InvoiceDate"),
        (row(price="2,55"), "UnitPrice"),
        (row(price="NaN"), "UnitPrice"),
        (row(customer="17850.5"), "CustomerID"),
        (row(customer="abc"), "CustomerID"),
        (row(invoice="INV-1"), "InvoiceNo"),
        (row(code=""), "StockCode"),
        (row(description="x" * 301), "Description"),
    ],
)
def test_malformed_values_name_their_column(fields, column):
    verdict = classify_row(fields)
    assert not isinstance(verdict, Row)
    assert verdict.reason == Reason.MALFORMED
    assert verdict.detail.startswith(column), verdict.detail
    assert verdict.row is None


@pytest.mark.parametrize("count", [0, 7, 9])
def test_a_wrong_column_count_is_malformed(count):
    verdict = classify_row(["1"] * count)
    assert not isinstance(verdict, Row)
    assert verdict.reason == Reason.MALFORMED
    assert f"found {count}" in verdict.detail


@pytest.mark.parametrize(
    "code",
    [
        "POST",
        "DOT",
        "C2",
        "M",
        "m",
        "D",
        "S",
        "B",
        "BANK CHARGES",
        "AMAZONFEE",
        "CRUK",
        "gift_0001_20",
    ],
)
def test_charges_fees_and_vouchers_are_not_products(code):
    assert reason(row(code=code)) == Reason.NON_PRODUCT_CODE


@pytest.mark.parametrize("code", ["DCGSSGIRL", "DCGS0003", "15056bl", "PADS"])
def test_real_goods_with_unusual_codes_are_products(code):
    assert reason(row(code=code)) == "accepted"


def test_prices_and_quantities():
    assert reason(row(price="0.0")) == Reason.ZERO_PRICE
    assert reason(row(code="PADS", price="0.001")) == Reason.ZERO_PRICE  # rounds to 0p
    assert reason(row(price="0.005")) == Reason.ZERO_PRICE  # half-even: 0.5p -> 0p
    assert reason(row(price="0.015")) == "accepted"  # 1.5p -> 2p
    assert reason(row(price="-11062.06")) == Reason.NEGATIVE_PRICE
    assert reason(row(quantity="0")) == Reason.NEGATIVE_QUANTITY
    assert reason(row(quantity="-10", price="0.0")) == Reason.NEGATIVE_QUANTITY


def test_cancellations():
    verdict = classify_row(row(invoice="C536379", quantity="-2"))
    assert isinstance(verdict, Row) and verdict.is_cancellation and verdict.quantity == -2
    assert reason(row(invoice="C536379", quantity="2")) == Reason.CANCELLATION_NOT_NEGATIVE
    assert reason(row(invoice="C536379", quantity="-2", customer="")) == (
        Reason.CANCELLATION_WITHOUT_CUSTOMER
    )
    assert reason(row(invoice="C536379", code="D", quantity="-1")) == Reason.NON_PRODUCT_CODE


def test_a_rejected_row_keeps_its_parsed_values():
    verdict = classify_row(row(code="POST", customer="12583.0"))
    assert not isinstance(verdict, Row)
    assert verdict.row is not None and verdict.row.customer_id == 12583


def test_line_numbers_count_every_row_of_the_invoice_and_repeats_are_duplicates():
    rows = [
        row(invoice="1", code="A1"),
        row(invoice="2", code="A1"),
        row(invoice="1", code="POST"),
        row(invoice="1", code="A1"),  # exact repeat of the first row
        row(invoice="1", code="A1", quantity="7"),  # not a repeat
        row(invoice="2", code="A1", price="3.00"),
    ]
    out = [
        (line, invoice, v if isinstance(v, Row) else v.reason)
        for line, invoice, v in classify_rows(rows)
    ]
    assert [(line, invoice) for line, invoice, _ in out] == [
        (1, "1"),
        (1, "2"),
        (2, "1"),
        (3, "1"),
        (4, "1"),
        (2, "2"),
    ]
    verdicts = [v if isinstance(v, str) else "accepted" for _, _, v in out]
    assert verdicts == [
        "accepted",
        "accepted",
        "non_product_code",
        "duplicate_row",
        "accepted",
        "accepted",
    ]


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_read_day_file_builds_a_batch_and_counts(tmp_path):
    lines = [
        HEADER,
        "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        "536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.00,17850.0,United Kingdom",
        "536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom",
        "C536367,85123A,WHITE HANGING HEART,-2,2010-12-01 09:00:00,2.55,17850.0,United Kingdom",
        "536368,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85",
    ]
    day = read_day_file(write(tmp_path, "d.csv", ("\n".join(lines) + "\n").encode()))
    assert day.rows == 5
    assert day.rejected == {"non_product_code": 1, "malformed": 1}
    assert day.batch.invoices == {"536365", "536366", "C536367", "536368"}
    assert day.customers == {17850}
    assert list(day.batch.buyers) == ["customer-17850@online-retail.invalid"]
    assert [(s.invoice, s.line_no, s.buyer_email) for s in day.batch.sales] == [
        ("536365", 1, "customer-17850@online-retail.invalid"),
        ("536366", 1, None),
    ]
    assert [(r.invoice, r.sku, r.quantity) for r in day.batch.returns] == [("C536367", "85123A", 2)]
    assert day.examples[0].line == 3 and day.examples[0].reason == "non_product_code"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"a,b,c\n1,2,3\n", "header is"),
        (
            (HEADER + "\n536365,85123A,CAF\xe9,6,2010-12-01 08:26:00,2.55,,UK\n").encode("latin-1"),
            "UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_this_csv_is_refused_naming_it(tmp_path, content, why):
    path = write(tmp_path, "2011-01-01.csv", content)
    with pytest.raises(NotACsvFile) as caught:
        read_day_file(path)
    assert str(path) in str(caught.value)
    assert why in str(caught.value)


def test_a_header_with_a_byte_order_mark_is_accepted(tmp_path):
    day = read_day_file(write(tmp_path, "bom.csv", ("\ufeff" + HEADER + "\n").encode()))
    assert day.rows == 0
