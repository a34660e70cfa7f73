"""Evidence numbers stored by training, turned back into the facts a reason cites.

Each kept recommendation stores four int32 numbers (an item, a day ordinal, a count, days until
due); which of them a source uses, and the JSON it becomes, is decided here only:

- repeat: ``{"times", "last_day", "due_in_days"}`` — distinct invoices of the item by the user,
  the last day, and the last day plus the mean days between their invoices minus today (None
  when bought once);
- cf: ``{"anchor", "similar_users"}`` — the user's item most often bought by the buyers of this
  one, and how many other users bought both;
- co_purchase: ``{"anchor", "anchor_day", "together"}`` — the user's item, the last day they
  bought it, and how many invoices hold both;
- content: ``{"anchor", "anchor_day", "shared_terms"}`` — terms of both items' texts;
- seasonal: ``{"month", "buyers_same_period_last_year", "from", "to"}``;
- popular: ``{"buyers", "window_days", "country"}`` — distinct buyers in the days before today.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from agora.recommendations.engine.training import NO_VALUE

if TYPE_CHECKING:
    from agora.recommendations.engine.model import Model, Recommendation

from agora.recommendations.engine.model import SOURCES


def _day(ordinal: int) -> str:
    return datetime.date.fromordinal(ordinal).isoformat()


def facts(model: Model, source: str, item: int, numbers: tuple[int, int, int, int]) -> dict:
    anchor, day, count, due = numbers
    if source == "repeat":
        return {
            "times": count,
            "last_day": _day(day),
            "due_in_days": None if due == NO_VALUE else due,
        }
    if source == "cf":
        return {"anchor": model.items[anchor], "similar_users": count}
    if source == "co_purchase":
        return {"anchor": model.items[anchor], "anchor_day": _day(day), "together": count}
    if source == "content":
        theirs = set(model.item_terms[anchor])
        shared = [term for term in model.item_terms[item] if term in theirs]
        return {"anchor": model.items[anchor], "anchor_day": _day(day), "shared_terms": shared}
    if source == "seasonal":
        first = datetime.date.fromisoformat(model.meta["seasonal_from"])
        return {
            "month": (first + datetime.timedelta(days=364)).month,
            "buyers_same_period_last_year": count,
            "from": model.meta["seasonal_from"],
            "to": model.meta["seasonal_to"],
        }
    if source == "popular":
        return {"buyers": count, "window_days": model.config.popular_window_days, "country": None}
    raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")


def describe_user(model: Model, row: int, position: int) -> Recommendation:
    from agora.recommendations.engine.model import Recommendation

    item = int(model.user_items[row, position])
    source = SOURCES[int(model.user_sources[row, position])]
    numbers = tuple(int(n) for n in model.user_evidence[row, position])
    return Recommendation(
        model.items[item],
        float(model.user_scores[row, position]),
        source,
        facts(model, source, item, numbers),  # type: ignore[arg-type]
    )


def describe_item(model: Model, row: int, position: int) -> Recommendation:
    """A bought-together entry: co_purchase cites the baskets holding both; content the terms."""
    from agora.recommendations.engine.model import Recommendation

    other = int(model.item_items[row, position])
    source = SOURCES[int(model.item_sources[row, position])]
    together = int(model.item_evidence[row, position])
    if source == "co_purchase":
        evidence: dict = {"anchor": model.items[row], "together": together}
    else:
        theirs = set(model.item_terms[row])
        shared = [term for term in model.item_terms[other] if term in theirs]
        evidence = {"anchor": model.items[row], "shared_terms": shared}
    return Recommendation(
        model.items[other], float(model.item_scores[row, position]), source, evidence
    )
