"""``agora demo`` against a real database: the store it builds, and that a second run (and an
``--if-empty`` run) writes nothing at all.

The build is the expensive part, so this module builds once, inside one transaction that is
rolled back when the module is done; each test runs in a savepoint inside it.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min
from stdnum import ean

from agora.accounts.models import User
from agora.catalog.models import Attribute, Category, Product, ProductMedia, Variant
from agora.core import clock
from agora.core.models import AuditEntry, OutboxEvent
from agora.demo.generate import BUYER_PASSWORD, OPERATOR_PASSWORD, build_spec
from agora.inventory.models import StockLevel, StockLocation, StockMovement
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.vat import normalize_vat_id
from agora.pricing.models import Price, PriceChange

TABLES = (
    User,
    Seller,
    SellerStaff,
    Category,
    Attribute,
    Product,
    Variant,
    ProductMedia,
    Price,
    PriceChange,
    StockLocation,
    StockLevel,
    StockMovement,
    AuditEntry,
    OutboxEvent,
)


def _counts() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    counts = {model._meta.label: model.objects.count() for model in TABLES}
    counts["tasks"] = DBTaskResult.objects.count()
    return counts


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        before = _counts()
        first = _run("--if-empty")  # an empty database: builds
        built = _counts()
        second = _run()  # everything exists: writes nothing
        again = _counts()
        third = _run("--if-empty")  # sellers exist: skips
        skipped = _counts()
        yield SimpleNamespace(
            before=before,
            built=built,
            again=again,
            skipped=skipped,
            first=first,
            second=second,
            third=third,
        )
        transaction.set_rollback(True)


def test_first_run_builds_a_multi_seller_store(demo, db):
    assert demo.before["marketplace.Seller"] == 0
    sellers = list(Seller.objects.all())
    assert len(sellers) >= 5
    assert len({s.country for s in sellers}) == len(sellers)
    assert all(s.state == "active" for s in sellers)
    owners = SellerStaff.objects.filter(role="owner").values_list("seller_id", flat=True)
    assert set(owners) == {s.pk for s in sellers}
    assert Product.objects.filter(status="published").count() >= 300
    per_product = Product.objects.annotate(n=Count("variants")).aggregate(low=Min("n"))
    assert per_product["low"] >= 1
    assert not Product.objects.annotate(n=Count("variants")).filter(n__gt=4).exists()
    assert "Demo store built" in demo.first and "http://127.0.0.1:8000" in demo.first


def test_products_in_english_and_simplified_chinese(demo, db):
    for product in Product.objects.all():
        zh = product.translations["zh-hans"]
        assert product.language == "en" and product.title and product.description
        assert zh["title"] and zh["description"] and zh["title"] != product.title
    for category in Category.objects.all():
        assert category.translations["zh-hans"]["name"]
    assert Category.objects.filter(parent__isnull=True).count() == 5
    assert Attribute.objects.count() >= 10
    assert Product.objects.exclude(attributes={}).count() > 250


def test_every_variant_priced_in_eur_gbp_cny_with_history(demo, db):
    currencies = Price.objects.values("variant_id").annotate(n=Count("currency"))
    assert currencies.count() == Variant.objects.count()
    assert {row["n"] for row in currencies} == {3}
    assert set(Price.objects.values_list("currency", flat=True)) == {"EUR", "GBP", "CNY"}
    older = PriceChange.objects.filter(effective_at__lt=clock.now() - timedelta(days=30))
    assert older.count() > 300  # earlier prices for the EU 30-day prior-price rule
    reduced = 0
    for change in older.filter(currency="EUR"):
        now = Price.objects.get(variant_id=change.variant_id, currency="EUR").amount_minor
        reduced += change.amount_minor > now
    assert reduced > 100
    assert PriceChange.objects.filter(source="demo").count() == PriceChange.objects.count()


def test_stock_at_one_or_two_locations_per_seller(demo, db):
    for seller in Seller.objects.all():
        locations = StockLocation.objects.filter(seller=seller)
        assert 1 <= locations.count() <= 2
        assert all(loc.latitude is not None and loc.country == seller.country for loc in locations)
        assert StockLevel.objects.filter(seller=seller, on_hand__gt=0).exists()
    assert StockMovement.objects.count() == StockLevel.objects.count()  # one opening receipt each
    events = OutboxEvent.objects.filter(name="stock.changed").count()
    assert events == StockMovement.objects.count()


def test_media_and_3d_models(demo, db):
    assert ProductMedia.objects.filter(kind="image").count() >= Product.objects.count()
    models = ProductMedia.objects.filter(kind="model")
    assert models.count() >= 4
    assert all(m.url.endswith(".gltf") and m.url.startswith("/static/demo/models/") for m in models)


def test_gtins_and_vat_ids_validate(demo, db):
    for gtin in Variant.objects.values_list("gtin", flat=True):
        assert ean.is_valid(gtin), gtin
    for seller in Seller.objects.all():
        assert seller.vat_id and normalize_vat_id(seller.country, seller.vat_id) == seller.vat_id


def test_logins_are_printed_and_work(demo, db):
    spec = build_spec()
    operator = User.objects.by_email(spec.operator.email).get()
    assert operator.is_staff and operator.is_superuser
    assert operator.check_password(OPERATOR_PASSWORD)
    assert User.objects.by_email("buyer7@demo.agora.test").get().check_password(BUYER_PASSWORD)
    owner = spec.sellers[2].owner
    assert User.objects.by_email(owner.email).get().check_password(owner.password)
    assert User.objects.by_email(owner.email).get().preferred_language == "zh-hans"
    for text in (
        spec.operator.email,
        OPERATOR_PASSWORD,
        BUYER_PASSWORD,
        owner.email,
        owner.password,
        "buyer1@demo.agora.test",
    ):
        assert text in demo.first


def test_events_and_audit_were_written_by_the_services(demo, db):
    published = OutboxEvent.objects.filter(name="product.published").count()
    assert published == Product.objects.count()
    price_events = OutboxEvent.objects.filter(name="price.changed").count()
    assert price_events == PriceChange.objects.count()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "seller.applied",
        "seller.active",
        "product.created",
        "product.published",
        "price.changed",
        "stock.received",
        "location.created",
        "media.added",
        "category.created",
    } <= actions
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"demo"}


def test_second_run_and_if_empty_write_nothing(demo, db):
    assert demo.again == demo.built
    assert demo.skipped == demo.built
    assert "nothing changed" in demo.second
    assert "was not built (--if-empty)" in demo.third


def test_the_store_is_searchable_as_soon_as_the_demo_is_built(demo, db):
    from agora.search.selectors import search_products

    product = Product.objects.filter(status="published").order_by("pk").first()
    assert product is not None
    found = search_products(query=product.title, language="en", currency="EUR", limit=10)
    assert product.public_id in [item["id"] for item in found.items]
    assert found.total >= 1


def test_the_carriers_its_shipping_names_exist_with_tracking_pages(demo, db):
    from agora.checkout.models import ShippingMethod
    from agora.fulfillment.models import Carrier

    named = set(ShippingMethod.objects.values_list("carrier_code", flat=True))
    carriers = {c.code: c for c in Carrier.objects.filter(code__in=named)}
    assert named and set(carriers) == named
    assert all(c.tracking_url("TRK1").startswith("https://") for c in carriers.values())


def test_variant_names_have_chinese_where_they_are_words(demo, db):
    sets = Variant.objects.filter(title="Set of 4")
    assert sets.exists()
    assert all(v.translations == {"zh-hans": {"title": "四只装"}} for v in sets)
    measures = Variant.objects.filter(title="250 g")  # reads the same in both languages
    assert all(v.translations == {} for v in measures)


def test_the_price_audit_passes_on_the_demo_store(demo, db):
    """Issue 8: `agora audit prices` on the demo store finds no personal price and no wrong
    "was" price (its history has real reductions), and leaves no synthetic buyer behind."""
    users = User.objects.count()
    out, err = StringIO(), StringIO()
    call_command("audit", "prices", stdout=out, stderr=err)  # exits 1 (SystemExit) on a finding
    assert err.getvalue() == ""
    assert "no difference" in out.getvalue() and "0 reductions" not in out.getvalue()
    assert User.objects.count() == users
