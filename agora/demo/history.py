"""The demo store's purchase history: six months of past orders of the ten demo buyers, so the
recommender has something true to learn from and explain ("you bought this 4 times").

:func:`history_spec` is pure (seed in, plain data out, no database) and shaped like real
shopping: each buyer has a few staples (teas, cycling consumables) bought again every few weeks,
a home seller and two others they return to, and every seller has a handful of pairs that
buyers often put in one basket. :func:`build_history` writes what is missing through the orders
app's bulk service, as the Online Retail importer does: historic orders, completed, without
events or stock movements (they are the past; the shelves the demo shows are today's), one
audit entry per seller. Orders are keyed by their invoice reference, so a second run writes
nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction

from agora.catalog.bulk import ProductState
from agora.catalog.models import Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.demo.generate import DemoSpec, ProductSpec
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.orders.bulk import ImportedSale, orders_import_bulk
from agora.orders.models import Order

HISTORY_DAYS = 180
# Categories people buy again when they run out.
REPLENISHED = {
    "black-tea",
    "green-tea",
    "white-tea",
    "oolong-tea",
    "dark-tea",
    "herbal-infusions",
    "cycling-accessories",
}
# Where each demo buyer's parcels go (every demo seller ships to the EU and the UK).
BUYER_COUNTRIES = ("DE", "GB", "GB", "FR", "NL", "IT", "NL", "GB", "DE", "FR")
PAIRS_PER_SELLER = 5


@dataclass(frozen=True)
class PastLine:
    sku: str
    quantity: int
    unit_price_minor: int


@dataclass(frozen=True)
class PastOrder:
    ref: str  # the order's external reference, unique per seller: the idempotency key
    seller: str  # slug
    buyer_email: str
    country: str
    days_ago: int
    minute: int  # minute of that day (UTC) the order was placed
    lines: tuple[PastLine, ...]


def history_spec(spec: DemoSpec) -> list[PastOrder]:
    """Every past order of the demo buyers for ``spec`` (same seed, same history)."""
    rng = random.Random(f"{spec.seed}:history")
    sellers = list(spec.sellers)
    pairs = {
        s.slug: [tuple(rng.sample(s.products, 2)) for _ in range(PAIRS_PER_SELLER)] for s in sellers
    }
    replenished = [(s.slug, p) for s in sellers for p in s.products if p.category in REPLENISHED]
    currency = {s.slug: s.data.currency for s in sellers}
    orders: list[PastOrder] = []
    for number, buyer in enumerate(spec.buyers):
        # (days ago, seller slug) → products of that basket, in order
        baskets: dict[tuple[int, str], list[ProductSpec]] = defaultdict(list)
        for slug, product in rng.sample(replenished, rng.randint(2, 3)):
            cadence = rng.randint(24, 45)
            day = HISTORY_DAYS - rng.randint(0, cadence)
            while day >= 1:
                baskets[(day, slug)].append(product)
                if rng.random() < 0.35:  # the buyer's usual companion from that shop
                    baskets[(day, slug)].append(_partner(pairs[slug], product))
                day -= cadence + rng.randint(-5, 5)
        home = sellers[number % len(sellers)]
        others = rng.sample([s for s in sellers if s is not home], 2)
        for seller in [home, home, *others, rng.choice([home, *others])]:
            day = rng.randint(1, HISTORY_DAYS)
            if rng.random() < 0.7:
                baskets[(day, seller.slug)].extend(rng.choice(pairs[seller.slug]))
            else:
                baskets[(day, seller.slug)].extend(rng.sample(seller.products, rng.randint(1, 2)))
        for n, ((day, slug), products) in enumerate(sorted(baskets.items(), reverse=True), 1):
            units: Counter[str] = Counter()
            prices: dict[str, int] = {}
            for product in products:
                variant = product.variants[0]
                units[variant.sku] += 1 if rng.random() < 0.75 else 2
                prices[variant.sku] = variant.prices[currency[slug]]
            orders.append(
                PastOrder(
                    ref=f"DEMO-{spec.seed}-{number + 1:02d}-{n:03d}",
                    seller=slug,
                    buyer_email=buyer.email,
                    country=BUYER_COUNTRIES[number % len(BUYER_COUNTRIES)],
                    days_ago=day,
                    minute=rng.randint(7 * 60, 22 * 60),
                    lines=tuple(PastLine(sku, q, prices[sku]) for sku, q in units.items()),
                )
            )
    return orders


def _partner(pairs: list[tuple[ProductSpec, ...]], product: ProductSpec) -> ProductSpec:
    """The product a staple is usually bought with: a fixed one per staple, so the pairs recur
    across orders and buyers."""
    seeded = random.Random(product.slug)
    return seeded.choice([p for pair in pairs for p in pair if p is not product] or [product])


def build_history(
    spec: DemoSpec, *, buyer_ids: dict[str, int], actor: Actor, now: datetime | None = None
) -> Counter[str]:
    """Writes the past orders of :func:`history_spec` that are missing (all in one
    transaction) and counts what it wrote. Orders of a seller or product that is not in the
    database are left out."""
    now = now or clock.now()
    midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    by_seller: dict[str, list[PastOrder]] = defaultdict(list)
    for order in history_spec(spec):
        by_seller[order.seller].append(order)
    created: Counter[str] = Counter()
    with transaction.atomic():
        sellers = {s.slug: s for s in Seller.objects.filter(slug__in=list(by_seller))}
        for slug, orders in by_seller.items():
            seller = sellers.get(slug)
            if seller is None:
                continue
            existing = set(
                Order.objects.filter(
                    seller=seller,
                    channel=Order.Channel.IMPORT,
                    external_ref__in=[o.ref for o in orders],
                ).values_list("external_ref", flat=True)
            )
            todo = [o for o in orders if o.ref not in existing and o.buyer_email in buyer_ids]
            if not todo:
                continue
            require_seller_access(actor, seller, "orders:write")
            products = _products(seller, {line.sku for o in todo for line in o.lines}, now)
            sales = [
                ImportedSale(
                    invoice=o.ref,
                    line_no=line_no,
                    sku=line.sku,
                    description="",
                    quantity=line.quantity,
                    unit_price_minor=line.unit_price_minor,
                    at=midnight - timedelta(days=o.days_ago, minutes=-o.minute),
                    buyer_email=o.buyer_email,
                    country=o.country,
                )
                for o in todo
                for line_no, line in enumerate((x for x in o.lines if x.sku in products), start=1)
            ]
            if not sales:
                continue
            written = orders_import_bulk(
                seller=seller,
                currency=seller.payout_currency,
                sales=sales,
                existing={},
                buyer_ids=buyer_ids,
                products=products,
            )
            audit_record(
                actor=actor,
                action="orders.imported",
                target=seller,
                seller_id=seller.pk,
                changes={"source": "demo history", "new_orders": written, "new_lines": len(sales)},
            )
            created["past orders"] += written
            created["past order lines"] += len(sales)
    return created


def _products(seller: Seller, skus: set[str], now: datetime) -> dict[str, ProductState]:
    rows = Variant.objects.filter(seller=seller, sku__in=skus).values_list(
        "sku", "pk", "product_id", "product__title"
    )
    return {sku: ProductState(pk, product_id, title, now) for sku, pk, product_id, title in rows}
