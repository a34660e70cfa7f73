"""The Online Retail importer against the database, on real day files and on small made-up ones.

Counts are checked against an independent count of the same files written here with the csv
module alone (it does not call the importer's parsing or rules).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from django.db import DatabaseError

from agora.accounts.models import User
from agora.catalog.models import Product, ProductTextHistory, Variant
from agora.core.models import AuditEntry, OutboxEvent
from agora.imports import online_retail
from agora.imports.online_retail import COLUMNS, import_online_retail
from agora.imports.online_retail.rows import customer_email
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine
from agora.pricing.models import Price, PriceChange
from tests.helpers import shared_data, skip_without

DATA = shared_data("online-retail", "by-day")
SMALL_DAYS = ["2010-12-19.csv", "2010-12-22.csv", "2011-02-06.csv"]
HEADER = ",".join(COLUMNS)

pytestmark = skip_without(DATA)


def link_days(tmp_path: Path, names: list[str]) -> Path:
    """A directory of symbolic links to some real day files (the data is never copied)."""
    folder = tmp_path / "days"
    folder.mkdir()
    for name in names:
        (folder / name).symlink_to(DATA / name)
    return folder


def independent_count(paths: list[Path]) -> dict:
    """Counts rows, invoices, customers and rejections of ``paths`` with the csv module, from
    the rules as the README and the issue state them (not from the importer's code)."""
    not_goods = {"POST", "DOT", "C2", "M", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK"}
    rows, invoices, customers, rejected = 0, set(), set(), Counter()
    accepted_sale_invoices: set[str] = set()
    bought: dict[tuple[str, str], list[list]] = defaultdict(list)  # [time, units left]
    matched = 0
    for path in sorted(paths):
        with path.open(newline="", encoding="utf-8") as handle:
            records = list(csv.DictReader(handle))
        seen, placed, cancellations = set(), {}, []
        sales = []
        for rec in records:
            rows += 1
            invoices.add(rec["InvoiceNo"])
            if rec["CustomerID"]:
                customers.add(rec["CustomerID"])
            code = rec["StockCode"].upper()
            qty = int(rec["Quantity"])
            price = Decimal(rec["UnitPrice"])
            pence = (price * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
            is_c = rec["InvoiceNo"].startswith("C")
            key = tuple(rec.values())
            if code in not_goods or code.startswith("GIFT_"):
                rejected["non_product_code"] += 1
            elif price < 0:
                rejected["negative_price"] += 1
            elif is_c and qty >= 0:
                rejected["cancellation_not_negative"] += 1
            elif not is_c and qty <= 0:
                rejected["negative_quantity"] += 1
            elif pence == 0:
                rejected["zero_price"] += 1
            elif is_c and not rec["CustomerID"]:
                rejected["cancellation_without_customer"] += 1
            elif key in seen:
                rejected["duplicate_row"] += 1
            elif is_c:
                cancellations.append((rec["InvoiceDate"], rec["CustomerID"], code, -qty))
            else:
                accepted_sale_invoices.add(rec["InvoiceNo"])
                placed[rec["InvoiceNo"]] = min(
                    placed.get(rec["InvoiceNo"], "9"), rec["InvoiceDate"]
                )
                sales.append((rec["InvoiceNo"], rec["CustomerID"], code, qty))
            seen.add(key)
        for invoice, customer, code, qty in sales:
            if customer:
                bought[(customer, code)].append([placed[invoice], qty])
        # A cancellation takes units back from the most recent earlier purchase with enough.
        for when, customer, code, qty in sorted(cancellations, key=lambda c: c[0]):
            history = sorted(bought[(customer, code)], key=lambda b: b[0])
            for purchase in reversed(history):
                if purchase[0] <= when and purchase[1] >= qty:
                    purchase[1] -= qty
                    matched += 1
                    break
            else:
                rejected["cancellation_without_original"] += 1
    return {
        "rows": rows,
        "invoices": len(invoices),
        "customers": len(customers),
        "rejected": +rejected,
        "orders": len(accepted_sale_invoices),
        "returns": matched,
    }


def table_counts() -> dict[str, int]:
    models = [
        Seller,
        User,
        Product,
        Variant,
        ProductTextHistory,
        Price,
        PriceChange,
        Order,
        OrderLine,
        OrderReturn,
        OrderReturnLine,
        AuditEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.django_db
def test_real_days_match_an_independent_count_and_a_rerun_adds_nothing(tmp_path):
    folder = link_days(tmp_path, SMALL_DAYS)
    expected = independent_count([DATA / n for n in SMALL_DAYS])

    first = import_online_retail(folder).as_dict()

    assert first["rows"] == expected["rows"] > 1000
    assert first["invoices"] == expected["invoices"]
    assert first["customers"] == expected["customers"]
    assert first["rejected"] == expected["rejected"]
    assert sum(first["rejected"].values()) + first["rows_accepted"] == first["rows"]
    assert first["orders"] == first["new_orders"] == expected["orders"]
    assert first["returns_accepted"] == expected["returns"]
    assert first["failed_files"] == []
    seller = Seller.objects.get(slug="online-retail")
    assert (seller.state, seller.country, seller.payout_currency) == ("active", "GB", "GBP")
    assert Order.objects.filter(seller=seller, channel="import").count() == expected["orders"]
    accepted_returns = first["returns_accepted"]
    assert OrderLine.objects.count() == first["rows_accepted"] - accepted_returns
    assert User.objects.count() == expected["customers"]
    assert Variant.objects.count() == Product.objects.count() == first["products"]
    assert Price.objects.count() == first["products"]
    before = table_counts()

    second = import_online_retail(folder).as_dict()

    assert second["new_orders"] == 0
    assert second["orders"] == first["orders"]
    for key in ("rows", "rows_accepted", "rejected", "invoices", "customers", "products"):
        assert second[key] == first[key], key
    assert all(second[k] == 0 for k in second if k.startswith("new_"))
    assert table_counts() == before


@pytest.mark.django_db
def test_imported_rows_become_buyers_orders_lines_and_prices(tmp_path):
    import_online_retail(link_days(tmp_path, ["2011-02-06.csv"]))
    with (DATA / "2011-02-06.csv").open(newline="") as handle:
        first = next(csv.DictReader(handle))
    order = Order.objects.get(external_ref=first["InvoiceNo"])
    customer = int(Decimal(first["CustomerID"]))
    assert order.buyer.email == f"customer-{customer}@online-retail.invalid"
    assert not order.buyer.has_usable_password()
    assert order.channel == "import" and order.currency == "GBP" and order.status == "completed"
    assert order.public_id.startswith("ord_")
    line = order.lines.get(line_no=1)
    assert line.sku == first["StockCode"].upper()
    assert line.quantity == int(first["Quantity"])
    assert line.unit_price_minor == int(Decimal(first["UnitPrice"]) * 100)
    assert order.total_minor == sum(x.total_minor for x in order.lines.all())
    variant = Variant.objects.get(sku=line.sku)
    assert variant.public_id.startswith("var_") and variant.product.status == "published"
    change = PriceChange.objects.filter(variant=variant).earliest("effective_at")
    assert change.source == "import" and change.effective_at <= order.placed_at
    # Historic imports publish no events; onboarding the retailer as a seller is live (one
    # seller.verified and seller.activated).
    assert not OutboxEvent.objects.exclude(name__startswith="seller.").exists()


def write_day(folder: Path, name: str, rows: list[str]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


@pytest.mark.django_db
def test_titles_prices_guests_and_cancellations(tmp_path):
    folder = tmp_path / "made-up"
    write_day(
        folder,
        "2011-01-03.csv",
        [
            "600001,11111,BLUE MUG,6,2011-01-03 09:00:00,2.55,12345.0,United Kingdom",
            "600001,11111,BLUE MUG,6,2011-01-03 09:00:00,2.55,12345.0,United Kingdom",
            "600001,22222,RED BOWL,2,2011-01-03 09:00:00,4.00,12345.0,United Kingdom",
            "600002,11111,BLUE MUG LARGE,24,2011-01-03 10:00:00,2.10,,United Kingdom",
            "600003,11111,BLUE MUG,3,2011-01-03 11:00:00,2.55,12345.0,United Kingdom",
            "C600004,11111,BLUE MUG,-6,2011-01-03 12:00:00,2.55,12345.0,United Kingdom",
            "C600004,22222,RED BOWL,-3,2011-01-03 12:00:00,4.00,12345.0,United Kingdom",
            "C600005,11111,BLUE MUG,-1,2011-01-03 08:00:00,2.55,12345.0,United Kingdom",
        ],
    )
    write_day(
        folder,
        "2011-01-04.csv",
        [
            "C600006,22222,RED BOWL,-2,2011-01-04 09:00:00,4.00,12345.0,United Kingdom",
            "600007,22222,RED BOWL,1,2011-01-04 10:00:00,4.00,54321.0,France",
        ],
    )

    report = import_online_retail(folder).as_dict()

    assert report["rows"] == 10
    assert report["rejected"] == {"duplicate_row": 1, "cancellation_without_original": 2}
    # C600004 line 1: 6 mugs from the most recent earlier purchase with 6 left (600001, as
    # 600003 holds only 3); line 2: 3 bowls but 600001 holds only 2 -> rejected; C600005 is
    # before any sale -> rejected; C600006 (next day) takes the 2 bowls of 600001.
    mug = Variant.objects.get(sku="11111")
    assert mug.product.title == "BLUE MUG"  # the latest description wins
    assert list(
        ProductTextHistory.objects.filter(product=mug.product).values_list("value", flat=True)
    ) == ["BLUE MUG", "BLUE MUG LARGE"]
    assert list(
        PriceChange.objects.filter(variant=mug)
        .order_by("effective_at")
        .values_list("amount_minor", flat=True)
    ) == [255, 210, 255]
    assert Price.objects.get(variant=mug).amount_minor == 255
    guest = Order.objects.get(external_ref="600002")
    assert guest.buyer is None
    first_order = Order.objects.get(external_ref="600001")
    assert list(first_order.lines.values_list("line_no", "returned_quantity")) == [(1, 6), (3, 2)]
    assert first_order.status == "refunded"  # every unit came back
    assert Order.objects.get(external_ref="600003").lines.get().returned_quantity == 0
    returns = OrderReturn.objects.filter(order=first_order).order_by("external_ref")
    assert [(r.external_ref, r.status) for r in returns] == [
        ("C600004", "refunded"),
        ("C600006", "refunded"),
    ]
    assert set(OrderReturnLine.objects.values_list("external_ref", flat=True)) == {
        "C600004:1",
        "C600006:1",
    }
    assert Order.objects.get(external_ref="600007").ship_country == "France"

    again = import_online_retail(folder).as_dict()
    assert again["new_orders"] == again["new_return_lines"] == 0
    assert again["rejected"] == report["rejected"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_csv_fails_alone_and_writes_nothing(tmp_path):
    folder = tmp_path / "mixed"
    write_day(
        folder,
        "2011-01-03.csv",
        [
            "600001,11111,BLUE MUG,6,2011-01-03 09:00:00,2.55,12345.0,United Kingdom",
        ],
    )
    good_rows = "\n".join([HEADER, "600009,33333,GREEN JUG,1,2011-01-04 09:00:00,5.00,777.0,UK"])
    (folder / "2011-01-04.csv").write_bytes(good_rows.encode() + b"\n600010,\xff\xfe broken\n")
    (folder / "2011-01-05.csv").write_bytes(b"\x00\x01\x02binary")

    report = import_online_retail(folder)

    assert [Path(f["file"]).name for f in report.failed_files] == [
        "2011-01-04.csv",
        "2011-01-05.csv",
    ]
    assert "2011-01-05.csv" in report.failed_files[1]["error"]
    assert report.rows == 1 and report.new_orders == 1
    assert not Order.objects.filter(external_ref="600009").exists()  # nothing of the bad file
    assert not User.objects.by_email(customer_email(777)).exists()


@pytest.mark.django_db
def test_a_database_failure_rolls_back_that_file_only(tmp_path, monkeypatch):
    folder = tmp_path / "two"
    write_day(
        folder,
        "2011-01-03.csv",
        [
            "600001,11111,BLUE MUG,6,2011-01-03 09:00:00,2.55,12345.0,United Kingdom",
        ],
    )
    write_day(
        folder,
        "2011-01-04.csv",
        [
            "600002,22222,RED BOWL,1,2011-01-04 09:00:00,4.00,555.0,United Kingdom",
            "C600003,22222,RED BOWL,-1,2011-01-04 10:00:00,4.00,555.0,United Kingdom",
        ],
    )
    from agora.orders import imports

    real = imports.returns_import_bulk

    def fail_on_returns(*, seller, returns, buyer_ids):  # late in the file's transaction
        if returns:
            raise DatabaseError("disk full")
        return real(seller=seller, returns=returns, buyer_ids=buyer_ids)

    monkeypatch.setattr(imports, "returns_import_bulk", fail_on_returns)
    report = import_online_retail(folder)
    assert [Path(f["file"]).name for f in report.failed_files] == ["2011-01-04.csv"]
    assert "disk full" in report.failed_files[0]["error"]
    assert list(Order.objects.values_list("external_ref", flat=True)) == ["600001"]
    assert not User.objects.by_email(customer_email(555)).exists()
    assert not Variant.objects.filter(sku="22222").exists()

    monkeypatch.undo()
    report = import_online_retail(folder)
    assert report.failed_files == [] and report.new_orders == 1 and report.new_return_lines == 1


@pytest.mark.django_db
def test_a_suspended_seller_is_not_reactivated(tmp_path):
    from agora.core.actors import system
    from agora.marketplace.services import seller_transition

    folder = write_day(tmp_path / "one", "2011-01-03.csv", []).parent
    seller = online_retail.retailer_seller(system("test"))
    seller_transition(actor=system("test"), seller=seller, to="suspended", reason="test")
    with pytest.raises(online_retail.ImportInputError, match="suspended"):
        import_online_retail(folder)


@pytest.mark.slow
@pytest.mark.django_db
def test_six_weeks_of_real_days_match_an_independent_count(tmp_path):
    names = sorted(p.name for p in DATA.glob("*.csv"))[:30]
    expected = independent_count([DATA / n for n in names])
    report = import_online_retail(link_days(tmp_path, names)).as_dict()
    assert report["rows"] == expected["rows"] > 20000
    for key in ("invoices", "customers", "rejected", "orders"):
        assert report[key] == expected[key], key
    assert report["returns_accepted"] == expected["returns"] > 50
    assert OrderReturnLine.objects.count() == expected["returns"]
