"""The CSV rules without a database: every bad cell reported with its row and column."""

from __future__ import annotations

from agora.sellercenter.bulk.columns import NAMES
from agora.sellercenter.bulk.parse import parse_csv

HEADER = ",".join(NAMES)


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def row(**cells: str) -> str:
    return ",".join(cells.get(name, "") for name in NAMES)


def parse(data: bytes, taken: set[str] | None = None):  # type: ignore[no-untyped-def]
    return parse_csv(data, categories={"kitchen"}, taken_skus=taken or set())


def test_rows_with_one_handle_are_the_variants_of_one_product() -> None:
    result = parse(
        csv_of(
            row(
                handle="cup",
                title="Cup",
                title_zh_hans="杯子",
                category="kitchen",
                sku="C-1",
                currency="EUR",
                price="12.99",
                options="size=S; colour=red",
                weight_grams="180",
            ),
            row(handle="cup", sku="C-2", currency="EUR", price="13"),
            row(handle="pot", title="Pot", sku="P-1", currency="JPY", price="1200"),
        )
    )
    assert result.errors == []
    cup, pot = result.products
    assert [v.sku for v in cup.variants] == ["C-1", "C-2"]
    assert cup.translations == {"zh-hans": {"title": "杯子"}}
    assert cup.variants[0].options == {"size": "S", "colour": "red"}
    assert (cup.variants[0].price_minor, cup.variants[1].price_minor) == (1299, 1300)
    assert pot.variants[0].price_minor == 1200  # JPY has no minor digits


def test_every_bad_cell_is_reported_with_its_row_and_column() -> None:
    result = parse(
        csv_of(
            row(handle="cup", title="Cup", sku="C-1", currency="EUR", price="12.99"),
            row(handle="bad", title="", sku="C-1", gtin="123", currency="EURO", price="1.5.0"),
            row(
                handle="x",
                title="X",
                sku="TAKEN",
                currency="EUR",
                price="1.999",
                category="nope",
                weight_grams="-3",
            ),
        ),
        taken={"TAKEN"},
    )
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "title"),
        (3, "sku"),
        (3, "gtin"),
        (3, "currency"),
        (3, "price"),
        (4, "sku"),
        (4, "price"),
        (4, "category"),
        (4, "weight_grams"),
    }
    assert [p.handle for p in result.valid_products] == ["cup"]
    assert "row 2" in str(next(e.message for e in result.errors if (e.row, e.column) == (3, "sku")))


def test_product_columns_on_later_rows_must_repeat_the_first_or_stay_empty() -> None:
    result = parse(
        csv_of(
            row(handle="cup", title="Cup", sku="C-1", currency="EUR", price="1"),
            row(handle="cup", title="Mug", sku="C-2", currency="EUR", price="1"),
        )
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "title")]
    assert result.valid_products == []  # a product is imported whole or not at all


def test_a_bad_header_refuses_the_file() -> None:
    result = parse(csv_of(row(handle="cup"), header="handle,title,colour"))
    assert result.file_refused
    assert {e.column for e in result.errors} >= {"colour", "sku", "price", "currency"}


def test_semicolons_excel_bom_and_non_utf8() -> None:
    semi = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + "\n"
        + row(handle="a", title="A", sku="A-1", currency="EUR", price="2.50").replace(",", ";")
        + "\n"
    ).encode()
    assert parse(semi).errors == []
    latin = (
        HEADER.encode()
        + b"\n"
        + row(handle="a", title="Caf\xe9", sku="A", currency="EUR", price="1")
        .encode("utf-8")
        .replace(b"Caf", b"Caf\xe9")
    )
    assert parse(latin).file_refused


def test_a_header_without_rows_is_reported() -> None:
    assert [(e.row, e.column) for e in parse(csv_of()).errors] == [(2, "")]
