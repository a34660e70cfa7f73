"""Small purchase histories for the engine tests, and a checker of evidence against them."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from agora.recommendations.engine.interactions import Purchase
from agora.recommendations.engine.model import Model, Recommendation

START = datetime.date(2011, 1, 3)
TODAY = datetime.date(2011, 7, 1)


def shop(seed: int = 7, users: int = 40, items: int = 30) -> list[Purchase]:
    """Users with a favourite item they rebuy, bundles of items that go together, countries."""
    rng = random.Random(seed)
    purchases = []
    for u in range(users):
        country = "France" if u % 4 == 0 else "United Kingdom"
        favourite = f"I{u % 7:02d}"
        for n in range(rng.randint(2, 6)):
            day = START + datetime.timedelta(days=rng.randint(0, 178))
            invoice = f"{u:03d}{n:02d}"
            basket = {favourite}
            bundle = rng.randrange(0, items - 2, 3)
            basket |= {f"I{bundle:02d}", f"I{bundle + 1:02d}"}
            basket |= {f"I{rng.randrange(items):02d}" for _ in range(rng.randint(0, 2))}
            for item in sorted(basket):
                purchases.append(Purchase(f"U{u:02d}", item, invoice, day, 2, country))
    return purchases


TEXT = {
    f"I{i:02d}": f"{['red', 'blue', 'green'][i % 3]} lantern number {i} 灯笼" for i in range(30)
}


def check_evidence(model: Model, purchases: list[Purchase], user: str, rec: Recommendation):
    """Asserts that the facts of ``rec`` hold in ``purchases`` (what a reason may say)."""
    mine = [p for p in purchases if p.user == user]
    invoices_of: dict[str, set[str]] = defaultdict(set)
    buyers_of: dict[str, set[str]] = defaultdict(set)
    for p in purchases:
        invoices_of[p.item].add(p.invoice)
        buyers_of[p.item].add(p.user)
    ev = rec.evidence
    if rec.source == "repeat":
        lines = [p for p in mine if p.item == rec.item]
        days = sorted({p.invoice: p.day for p in lines}.values())
        assert ev["times"] == len({p.invoice for p in lines}) >= 1
        assert ev["last_day"] == max(days).isoformat()
        if ev["times"] >= 2:
            interval = (days[-1] - days[0]).days / (len(days) - 1)
            expected = (days[-1] - TODAY).days + interval
            assert abs(ev["due_in_days"] - expected) <= 0.5
        else:
            assert ev["due_in_days"] is None
    elif rec.source == "co_purchase":
        anchor_days = [p.day for p in mine if p.item == ev["anchor"]]
        assert ev["anchor_day"] == max(anchor_days).isoformat()
        assert ev["together"] == len(invoices_of[ev["anchor"]] & invoices_of[rec.item]) >= 1
    elif rec.source == "cf":
        assert any(p.item == ev["anchor"] for p in mine)
        others = (buyers_of[ev["anchor"]] & buyers_of[rec.item]) - {user}
        assert ev["similar_users"] == len(others) >= 1
    elif rec.source == "content":
        assert any(p.item == ev["anchor"] for p in mine)
        assert ev["shared_terms"]
        for term in ev["shared_terms"]:
            assert term in TEXT[ev["anchor"]].lower() and term in TEXT[rec.item].lower()
    elif rec.source == "popular":
        first = TODAY - datetime.timedelta(days=ev["window_days"])
        recent = {
            p.user
            for p in purchases
            if p.item == rec.item
            and first <= p.day <= TODAY
            and (ev["country"] is None or p.country == ev["country"])
        }
        assert ev["buyers"] == len(recent) >= 1
    elif rec.source == "seasonal":
        first = datetime.date.fromisoformat(ev["from"])
        last = datetime.date.fromisoformat(ev["to"])
        period = {p.user for p in purchases if p.item == rec.item and first <= p.day <= last}
        assert ev["buyers_same_period_last_year"] == len(period) >= 1
    else:
        raise AssertionError(f"unknown source {rec.source}")
