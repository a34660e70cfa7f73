"""The exposure report: how recommendation exposure is spread across items and sellers, so a
platform can see whether its recommender favours the big.

Computed from the precomputed lists: every buyer with a purchase gets the home list the model
would serve them now (their profiling choice and "not interested" applied, off-sale products
dropped), ``k`` items each; an impression is one item in one buyer's list. Exposure logged from
live traffic would weigh active visitors more; the lists weigh every buyer once, which is the
question a fairness audit asks ("what does the recommender do to whom"), and needs no traffic.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from agora.catalog.models import Product
from agora.marketplace.states import SellerState
from agora.recommendations.models import Preference, Signal
from agora.recommendations.serving import current_model, model_name, model_recommendations

SMALL_SELLER_DEFINITION = (
    "a small seller is an active seller with a product on sale whose units sold in paid orders "
    "during the 365 days up to the latest purchase are at or below the median of those sellers"
)
GINI_DEFINITION = (
    "Gini coefficient of impressions over every product on sale (items) or every active seller "
    "with a product on sale (sellers), zeros included: 0 = equal exposure, 1 = all on one"
)
DEFINITIONS = {
    "impression": "one product in one buyer's home list of k, as the model serves it now",
    "gini": GINI_DEFINITION,
    "top_1_percent": "the most exposed 1% of products on sale (at least one) and their share "
    "of all impressions",
    "small_seller": SMALL_SELLER_DEFINITION,
}


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 when all are equal or there are none)."""
    ordered = sorted(values)
    n = len(ordered)
    total = sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * x for i, x in enumerate(ordered))
    return 2 * weighted / (n * total) - (n + 1) / n


def top_share(values: Sequence[float], fraction: float) -> tuple[int, float]:
    """How many values are the top ``fraction`` (at least one) and their share of the total."""
    ordered = sorted(values, reverse=True)
    total = sum(ordered)
    count = max(1, math.ceil(len(ordered) * fraction)) if ordered else 0
    return count, (sum(ordered[:count]) / total if total else 0.0)


def _small_sellers(seller_of: dict[str, int], sellers: set[int]) -> tuple[set[int], dict]:
    latest = Signal.objects.filter(kind=Signal.Kind.PURCHASE).order_by("-day").values("day")
    last = latest.first()
    units: Counter[int] = Counter()
    if last is not None:
        since = last["day"] - timedelta(days=365)
        by_product = Product.objects.values_list("pk", "seller_id")
        product_seller = dict(by_product)
        rows = Signal.objects.filter(kind=Signal.Kind.PURCHASE, day__gt=since).values_list(
            "product_id", "weight"
        )
        for product_id, weight in rows.iterator(chunk_size=10000):
            seller = product_seller.get(product_id)
            if seller is not None:
                units[seller] += weight
    counts = sorted(units.get(s, 0.0) for s in sellers)
    median = counts[(len(counts) - 1) // 2] if counts else 0.0
    small = {s for s in sellers if units.get(s, 0.0) <= median}
    return small, {"median_units_sold": median, "window_end": str(last["day"]) if last else None}


def _empty_report(k: int) -> dict[str, Any]:
    """Before the first purchase nothing is recommended (the storefront shows its own newest and
    most bought lists), so there is no exposure to spread: the report says so in numbers."""
    on_sale = Product.objects.filter(
        status=Product.Status.PUBLISHED, seller__state=SellerState.ACTIVE
    )
    sellers = on_sale.values("seller_id").distinct().count()
    return {
        "buyers": 0,
        "k": k,
        "impressions": 0,
        "items": {
            "on_sale": on_sale.count(),
            "exposed": 0,
            "gini": 0.0,
            "top_1_percent": {"items": 0, "share": 0.0},
        },
        "sellers": {
            "active_with_products": sellers,
            "exposed": 0,
            "gini": 0.0,
            "small": {"sellers": 0, "share_of_impressions": 0, "share_of_items_on_sale": 0},
        },
        "sources": {},
        "model": None,
        "note": "no purchases yet, so no model and no recommendations: nothing was exposed",
        "definitions": DEFINITIONS,
    }


def exposure_report(
    *, k: int = 10, progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The report as a JSON-ready dict; raises ``ValueError`` before the first training."""
    model = current_model(force=True)
    if model is None:
        if Signal.objects.filter(kind=Signal.Kind.PURCHASE).exists():
            raise ValueError("no trained model yet: run `agora recs train` first")
        return _empty_report(k)
    on_sale = Product.objects.filter(
        status=Product.Status.PUBLISHED, seller__state=SellerState.ACTIVE
    ).values_list("pk", "public_id", "seller_id")
    seller_of = {public_id: seller for _, public_id, seller in on_sale}
    public_of = {pk: public_id for pk, public_id, _ in on_sale}
    buyers = sorted(
        set(Signal.objects.filter(kind=Signal.Kind.PURCHASE).values_list("buyer", flat=True))
    )
    opted_out = {
        f"user:{pk}"
        for pk in Preference.objects.filter(profiled=False).values_list("user_id", flat=True)
    }
    dismissed: dict[str, set[str]] = defaultdict(set)
    for buyer, product_id in Signal.objects.filter(kind=Signal.Kind.NOT_INTERESTED).values_list(
        "buyer", "product_id"
    ):
        if product_id in public_of:
            dismissed[buyer].add(public_of[product_id])
    item_hits: Counter[str] = Counter()
    source_hits: Counter[str] = Counter()
    for done, buyer in enumerate(buyers, start=1):
        profiled = buyer not in opted_out
        found = model_recommendations(
            model,
            buyer=buyer if profiled else None,
            k=k + 4,
            profiled=profiled,
            exclude=frozenset(dismissed.get(buyer, ())),
        )
        shown = [r for r in found if r.item in seller_of][:k]
        item_hits.update(r.item for r in shown)
        source_hits.update(r.source for r in shown)
        if progress is not None:
            progress(done, len(buyers))
    impressions = sum(item_hits.values())
    sellers = set(seller_of.values())
    seller_hits: Counter[int] = Counter()
    for item, hits in item_hits.items():
        seller_hits[seller_of[item]] += hits
    small, small_facts = _small_sellers(seller_of, sellers)
    items_per_seller = Counter(seller_of.values())
    top_count, top_items_share = top_share([item_hits.get(i, 0) for i in seller_of], 0.01)
    small_hits = sum(seller_hits.get(s, 0) for s in small)
    return {
        "buyers": len(buyers),
        "k": k,
        "impressions": impressions,
        "items": {
            "on_sale": len(seller_of),
            "exposed": len(item_hits),
            "gini": round(gini([item_hits.get(i, 0) for i in seller_of]), 4),
            "top_1_percent": {"items": top_count, "share": round(top_items_share, 4)},
        },
        "sellers": {
            "active_with_products": len(sellers),
            "exposed": len(seller_hits),
            "gini": round(gini([seller_hits.get(s, 0) for s in sellers]), 4),
            "small": {
                "sellers": len(small),
                "share_of_impressions": round(small_hits / impressions, 4) if impressions else 0,
                "share_of_items_on_sale": round(
                    sum(items_per_seller[s] for s in small) / len(seller_of), 4
                )
                if seller_of
                else 0,
                **small_facts,
            },
        },
        "sources": {
            source: round(hits / impressions, 4) for source, hits in source_hits.most_common()
        },
        "model": model_name(),
        "definitions": DEFINITIONS,
    }
