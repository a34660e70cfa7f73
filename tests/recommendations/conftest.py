"""A small shop with a purchase history built through the real services: orders placed and paid
on chosen days, events delivered by the outbox as the worker would, a model trained into this
test's own data directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agora.accounts.models import User
from agora.catalog.models import Product
from agora.core import clock
from agora.core.outbox import dispatch_pending
from agora.marketplace.models import Seller
from agora.orders import services as orders
from agora.orders.models import Order
from agora.orders.services import OrderLineDraft
from agora.privacy.purposes import current_versions
from agora.privacy.services import consent_set
from agora.recommendations import serving
from agora.recommendations.training import train_and_save
from tests.conftest import SYSTEM, make_product, make_seller
from tests.orders.factories import ADDRESS

TODAY = date(2026, 5, 20)


def consenting(user: User) -> User:
    """The buyer agreed to personalisation (recommendations use nobody's data otherwise)."""
    consent_set(
        subject=f"user:{user.pk}",
        choices={"personalisation": True},
        versions=current_versions(),
        method="account",
    )
    return user


def deliver() -> None:
    report = dispatch_pending()
    assert report.failed == 0, report.errors


_n = {"n": 0}


def buy(
    buyer: User,
    seller: Seller,
    products: list[Product],
    day: date,
    *,
    quantity: int = 1,
    country: str = "DE",
) -> Order:
    """A paid order of one unit (or ``quantity``) of each product, placed on ``day``."""
    _n["n"] += 1
    with clock.frozen_at(datetime(day.year, day.month, day.day, 10, tzinfo=UTC)):
        order = orders.order_place(
            actor=SYSTEM,
            seller=seller,
            buyer=buyer,
            lines=[
                OrderLineDraft(
                    sku=p.variants.get().sku,
                    title=p.title,
                    quantity=quantity,
                    unit_price_minor=1000,
                    variant=p.variants.get(),
                )
                for p in products
            ],
            checkout_ref=f"chk_recs_{_n['n']}",
            currency="EUR",
            ship_to={**ADDRESS, "country": country},
        )
        return orders.order_mark_paid(order=order, payment_ref=f"pay_recs_{_n['n']}")


@dataclass
class Shop:
    big: Seller
    small: Seller
    p: dict[str, Product] = field(default_factory=dict)
    u: dict[str, User] = field(default_factory=dict)

    def train(self) -> None:
        deliver()
        train_and_save(today=TODAY)
        serving.current_model(force=True)


@pytest.fixture(autouse=True)
def models_in_tmp(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Each test trains into its own directory and starts with no model loaded."""
    settings.DATA_DIR = tmp_path
    serving._loaded.__init__()
    yield
    serving._loaded.__init__()


@pytest.fixture
def shop(db) -> Shop:  # type: ignore[no-untyped-def]
    big, small = make_seller("bigshop"), make_seller("smallshop")
    shop = Shop(big, small)
    for seller, names in (
        (big, ["tea", "cup", "pot", "honey", "filter", "kettle"]),
        (small, ["mug", "spoon"]),
    ):
        for name in names:
            shop.p[name] = make_product(seller, name.title(), sku=f"SKU-{name}", publish=True)
    for name in ("ada", "bo", "cy", "dee", "eve", "fay", "new"):
        user = User.objects.create_user(email=f"{name}@example.invalid", password="x")
        shop.u[name] = consenting(user)
    p, u = shop.p, shop.u
    # Ada buys tea again and again; tea and cup go together for many buyers.
    for month, day in ((2, 1), (3, 1), (3, 29), (4, 15)):
        buy(u["ada"], big, [p["tea"]], date(2026, month, day))
    buy(u["ada"], big, [p["honey"]], date(2026, 5, 3))
    for name in ("bo", "cy", "dee", "eve"):
        buy(u[name], big, [p["tea"], p["cup"]], date(2026, 5, 10))
        buy(u[name], big, [p["honey"], p["filter"]], date(2026, 5, 12))
    buy(u["fay"], small, [p["mug"]], date(2026, 5, 15), country="FR")
    buy(u["fay"], big, [p["kettle"], p["pot"]], date(2026, 5, 16), country="FR")
    deliver()
    return shop
