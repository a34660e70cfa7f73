"""Each reason is checked against the orders it cites: the counts and days in the evidence are
recomputed from the order tables, and the sentence shown says exactly those."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count
from django.utils import translation

from agora.core.templatetags.agora_format import local_date
from agora.orders.models import Order, OrderLine
from agora.recommendations import reasons, serving
from agora.recommendations.signals import BOUGHT
from tests.recommendations.conftest import TODAY, Shop

CHECKED: set[str] = set()


def _orders_with(product_public_id: str):  # type: ignore[no-untyped-def]
    return Order.objects.filter(
        status__in=BOUGHT, lines__variant__product__public_id=product_public_id
    )


def check(served: serving.Served, user_id: int | None, text: str, title: dict) -> None:
    """Recomputes the evidence of one recommendation from the orders; asserts the text."""
    ev = served.evidence
    mine = Order.objects.filter(status__in=BOUGHT, buyer_id=user_id)
    if served.source == "repeat":
        bought = mine.filter(lines__variant__product__public_id=served.item)
        assert ev["times"] == bought.values("id").distinct().count()
        last = max(o.placed_at.date() for o in bought)
        assert reasons.as_date(ev["last_day"]) == last
        if ev["times"] > 1:
            assert str(ev["times"]) in text and reasons.time_ago(last, date.today()) in text
        else:
            assert local_date(last) in text
    elif served.source == "co_purchase":
        both = _orders_with(ev["anchor"]).filter(id__in=_orders_with(served.item).values("id"))
        assert ev["together"] == both.count() > 0
        assert title[ev["anchor"]] in text
        if "anchor_day" in ev:
            day = reasons.as_date(ev["anchor_day"])
            assert mine.filter(
                lines__variant__product__public_id=ev["anchor"], placed_at__date=day
            ).exists()
            assert local_date(day) in text
        else:
            assert str(ev["together"]) in text
    elif served.source == "popular":
        since = TODAY - timedelta(days=ev["window_days"])
        buyers = (
            _orders_with(served.item)
            .filter(placed_at__date__gte=since, placed_at__date__lte=TODAY)
            .values("buyer_id")
            .distinct()
            .count()
        )
        assert ev["buyers"] == buyers
        assert str(buyers) in text and str(ev["window_days"]) in text
    elif served.source == "cf":
        others = (
            _orders_with(served.item)
            .filter(buyer_id__in=_orders_with(ev["anchor"]).values("buyer_id"))
            .exclude(buyer_id=user_id)
            .values("buyer_id")
            .distinct()
            .count()
        )
        assert ev["similar_users"] == others
        assert mine.filter(lines__variant__product__public_id=ev["anchor"]).exists()
        assert title[ev["anchor"]] in text and str(others) in text
    elif served.source == "content":
        assert title[ev["anchor"]] in text
        for term in ev["shared_terms"][:3]:
            assert term in text
    elif served.source == "seasonal":
        first, last = date.fromisoformat(ev["from"]), date.fromisoformat(ev["to"])
        buyers = (
            _orders_with(served.item)
            .filter(placed_at__date__gte=first, placed_at__date__lte=last)
            .values("buyer_id")
            .distinct()
            .count()
        )
        assert ev["buyers_same_period_last_year"] == buyers
    CHECKED.add(served.source)


def test_every_reason_says_what_the_orders_say(shop: Shop) -> None:
    shop.train()
    titles = {p.public_id: p.title for p in shop.p.values()}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for name in ("ada", "bo", "fay", "new"):
                user = shop.u[name]
                for placement, anchors in (
                    ("home", []),
                    ("product", [shop.p["tea"].public_id]),
                    ("cart", [shop.p["honey"].public_id]),
                ):
                    served = serving.recommend(
                        user_id=user.pk, k=6, placement=placement, anchors=anchors
                    )
                    assert served, (name, placement)
                    texts = reasons.render_all(served)
                    for one, text in zip(served, texts, strict=True):
                        check(one, user.pk, text, titles)
    assert {"repeat", "co_purchase", "popular"} <= CHECKED, CHECKED


def test_reasons_are_in_the_visitors_language(shop: Shop) -> None:
    shop.train()
    ada = shop.u["ada"]
    served = serving.recommend(user_id=ada.pk, k=6)
    repeat = next(s for s in served if s.source == "repeat")
    assert repeat.item == shop.p["tea"].public_id  # bought 4 times: first in her list
    with translation.override("en"):
        en = reasons.render_all([repeat])[0]
    with translation.override("zh-hans"):
        zh = reasons.render_all([repeat])[0]
    assert en.startswith("You bought this 4 times, last ")
    assert zh.startswith("您已购买 4 次") and zh != en


def test_the_counts_behind_the_shop_are_what_the_test_expects(shop: Shop) -> None:
    """Guards the fixture: tea and cup share four orders."""
    tea, cup = shop.p["tea"], shop.p["cup"]
    together = (
        OrderLine.objects.filter(variant__product=tea)
        .filter(order__lines__variant__product=cup)
        .aggregate(n=Count("order", distinct=True))["n"]
    )
    assert together == 4
