"""A small bilingual catalogue built through the services, indexed by the search handlers as
the outbox delivers their events (``dispatch_pending``), on SQLite or PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from agora.catalog.models import Attribute, Category, Product
from agora.catalog.services import category_create, product_publish, product_update
from agora.core.outbox import dispatch_pending
from agora.inventory.models import StockLocation
from agora.inventory.services import location_create, stock_receive
from agora.marketplace.models import Seller
from agora.pricing.services import PricedVariantInput, product_create_priced
from tests.conftest import SYSTEM, make_category, make_seller


def index() -> None:
    """Deliver every waiting event, as the worker would."""
    report = dispatch_pending()
    assert report.failed == 0, report.errors


def add_product(
    seller: Seller,
    title: str,
    *,
    zh: str = "",
    description: str = "",
    category: Category | None = None,
    prices: dict[str, int] | None = None,
    stock: int = 0,
    location: StockLocation | None = None,
    attributes: dict | None = None,
    publish: bool = True,
) -> Product:
    product = product_create_priced(
        actor=SYSTEM,
        seller=seller,
        title=title,
        description=description,
        category=category,
        translations={"zh-hans": {"title": zh}} if zh else {},
        attributes=attributes or {},
        variants=[
            PricedVariantInput(
                sku=f"{seller.slug}-{title[:30]}", prices=list((prices or {"EUR": 1000}).items())
            )
        ],
    )
    if stock:
        assert location is not None
        stock_receive(
            actor=SYSTEM, location=location, variant=product.variants.get(), quantity=stock
        )
    if publish:
        product = product_publish(actor=SYSTEM, product=product)
    return product


@dataclass
class Catalog:
    alpha: Seller
    beta: Seller
    tea: Category
    green_tea: Category
    tableware: Category
    cups: Category
    warehouse: StockLocation
    p: dict[str, Product] = field(default_factory=dict)


@pytest.fixture
def catalog(db) -> Catalog:  # type: ignore[no-untyped-def]
    Attribute.objects.bulk_create(  # attributes have no service: the demo writes them so too
        [
            Attribute(code="origin", name="Origin", value_type="text"),
            Attribute(code="organic", name="Organic", value_type="boolean"),
        ]
    )
    alpha = make_seller("alpha")
    beta = make_seller("beta")
    tea = category_create(actor=SYSTEM, name="Tea", translations={"zh-hans": {"name": "茶叶"}})
    green = make_category("Green tea", parent=tea)
    tableware = make_category("Tableware")
    cups = make_category("Cups", parent=tableware)
    warehouse = location_create(
        actor=SYSTEM, seller=alpha, name="Main", kind="warehouse", country="DE"
    )
    beta_store = location_create(actor=SYSTEM, seller=beta, name="Shop", kind="store", country="NL")
    c = Catalog(alpha, beta, tea, green, tableware, cups, warehouse)
    c.p["longjing"] = add_product(
        alpha,
        "Reserve Longjing Green Tea",
        zh="珍藏西湖龙井绿茶",
        description="Flat jade-green leaves from West Lake, Hangzhou.",
        category=green,
        prices={"EUR": 1800, "CNY": 12000},
        stock=10,
        location=warehouse,
        attributes={"origin": "Zhejiang", "organic": True},
    )
    c.p["heart"] = add_product(
        alpha, "White Hanging Heart T-Light Holder", category=tableware, prices={"EUR": 295}
    )
    c.p["espresso"] = add_product(
        alpha,
        "Porcelain Espresso Cup",
        zh="骨瓷浓缩咖啡杯",
        category=cups,
        prices={"EUR": 1200},
        stock=5,
        location=warehouse,
    )
    c.p["teapot"] = add_product(
        alpha,
        "Cherry Blossom Teapot",
        zh="樱花茶壶",
        category=tableware,
        prices={"EUR": 4500},
        stock=2,
        location=warehouse,
    )
    c.p["candle"] = add_product(
        alpha, "Glass Candle Holders", zh="玻璃烛台", category=tableware, prices={"EUR": 900}
    )
    c.p["chamomile"] = add_product(
        alpha,
        "Chamomile Blossoms Tea Bags",
        zh="洋甘菊袋泡茶",
        category=tea,
        prices={"EUR": 600},
        stock=30,
        location=warehouse,
    )
    c.p["lantern"] = add_product(
        beta,
        "Walnut Lantern",
        zh="胡桃木灯笼",
        category=tableware,
        prices={"EUR": 3000, "GBP": 2600},
        stock=1,
        location=beta_store,
    )
    c.p["draft"] = add_product(alpha, "Secret Brass Lantern", publish=False)
    index()
    return c


def update(product: Product, **changes: object) -> Product:
    return product_update(actor=SYSTEM, product=product, changes=changes)
