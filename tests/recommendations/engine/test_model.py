"""The blend on small synthetic shops: each source, evidence true of the data, the
non-profiled feed, negatives, bought together, popular by country."""

from __future__ import annotations

import datetime
import json

import pytest

from agora.recommendations.engine.interactions import Interactions, Purchase
from agora.recommendations.engine.model import SOURCES, BlendConfig, train

from .synthetic import TEXT, TODAY, check_evidence, shop

D = datetime.date


@pytest.fixture(scope="module")
def purchases() -> list[Purchase]:
    return shop()


@pytest.fixture(scope="module")
def model(purchases):
    return train(Interactions.from_purchases(purchases), today=TODAY, item_text=TEXT)


def test_every_recommendation_cites_facts_true_of_the_data(model, purchases):
    seen_sources = set()
    for user in model.users:
        recs = model.recommend(user, 15)
        assert len(recs) == 15
        assert len({r.item for r in recs}) == 15
        for rec in recs:
            assert rec.source in SOURCES
            json.dumps(rec.evidence)
            check_evidence(model, purchases, user, rec)
            seen_sources.add(rec.source)
    assert {"repeat", "cf", "co_purchase", "popular"} <= seen_sources


def test_scores_are_in_descending_order(model):
    for user in model.users[:10]:
        personal = [r.score for r in model.recommend(user, 10) if r.source != "popular"]
        assert personal == sorted(personal, reverse=True)


def test_repeat_puts_the_rebought_item_first_with_its_due_date():
    day = D(2011, 3, 1)
    rows = [
        Purchase("u1", "soap", f"A{n}", day + datetime.timedelta(days=30 * n), 1) for n in range(4)
    ]
    rows += [Purchase("u1", "towel", "A0", day, 1)]
    rows += [Purchase(f"u{n}", "candle", f"B{n}", D(2011, 6, 20), 1) for n in range(2, 6)]
    model = train(Interactions.from_purchases(rows), today=D(2011, 7, 1))
    first = model.recommend("u1", 3)[0]
    assert (first.item, first.source) == ("soap", "repeat")
    # bought 1 Mar, 31 Mar, 30 Apr, 30 May: every 30 days, so due 29 June, 2 days before today
    assert first.evidence == {"times": 4, "last_day": "2011-05-30", "due_in_days": -2}


def test_co_purchase_and_bought_together_count_shared_invoices():
    rows = []
    for n in range(6):
        rows += [Purchase(f"u{n}", "tea", f"T{n}", D(2011, 5, n + 1), 1)]
        rows += [Purchase(f"u{n}", "cup", f"T{n}", D(2011, 5, n + 1), 1)]
    rows += [Purchase("u9", "tea", "X1", D(2011, 6, 1), 1)]
    rows += [Purchase(f"v{n}", "spoon", f"S{n}", D(2011, 6, 2), 1) for n in range(3)]
    model = train(Interactions.from_purchases(rows), today=D(2011, 7, 1))
    together = model.bought_together("tea", 5)
    assert together[0].item == "cup"
    assert together[0].source == "co_purchase"
    assert together[0].evidence == {"anchor": "tea", "together": 6}
    assert model.bought_together("unknown", 5) == []
    cup = next(r for r in model.recommend("u9", 5) if r.item == "cup")
    assert cup.source in {"co_purchase", "cf"}
    if cup.source == "co_purchase":
        assert cup.evidence == {"anchor": "tea", "anchor_day": "2011-06-01", "together": 6}


def test_content_finds_items_described_alike_in_either_language():
    rows = [Purchase("u1", "a", "1", D(2011, 6, 1), 1)]
    rows += [Purchase(f"o{n}", item, f"o{n}", D(2011, 1, 5), 1) for n, item in enumerate("bcd")]
    text = {"a": "红色 灯笼 red lantern", "b": "blue lantern 灯笼", "c": "tea towel", "d": "mug"}
    config = BlendConfig(cf=0, co_purchase=0, popular=0, seasonal=0, repeat=0.01)
    model = train(
        Interactions.from_purchases(rows), today=D(2011, 7, 1), config=config, item_text=text
    )
    recs = {r.item: r for r in model.recommend("u1", 2)}
    assert set(recs) == {"a", "b"}  # c and d share no term with a
    assert recs["b"].source == "content"
    assert recs["b"].evidence["anchor"] == "a"
    assert set(recs["b"].evidence["shared_terms"]) >= {"lantern", "灯笼"}


def test_seasonal_cites_buyers_in_the_same_weeks_last_year():
    rows = [Purchase(f"u{n}", "wreath", f"W{n}", D(2010, 12, 3), 1) for n in range(3)]
    rows += [Purchase("me", "pen", "P1", D(2011, 11, 1), 1)]
    config = BlendConfig(repeat=0, cf=0, co_purchase=0, content=0, popular=0, seasonal=1)
    model = train(Interactions.from_purchases(rows), today=D(2011, 12, 1), config=config)
    rec = model.recommend("me", 1)[0]
    assert (rec.item, rec.source) == ("wreath", "seasonal")
    assert rec.evidence == {
        "month": 12,
        "buyers_same_period_last_year": 3,
        "from": "2010-12-02",
        "to": "2010-12-31",
    }


def test_non_profiled_feed_is_the_same_popularity_list_for_everyone(model, purchases):
    feeds = {user: model.recommend(user, 10, profiled=False) for user in model.users}
    first = feeds[model.users[0]]
    assert all(feed == first for feed in feeds.values())
    assert all(r.source == "popular" and r.evidence["country"] is None for r in first)
    assert first == model.popular(10) == model.recommend("a stranger", 10)
    for rec in first:
        check_evidence(model, purchases, model.users[0], rec)


def test_non_profiled_feed_ignores_personal_history(purchases):
    """Moving one buyer's whole history to other items changes their profiled list but not
    the non-profiled feed, apart from the counts it is made of."""
    base = train(Interactions.from_purchases(purchases), today=TODAY)
    moved = [
        Purchase(p.user, "Z" + p.item, p.invoice, p.day, p.quantity, p.country)
        if p.user == "U05" and p.day < TODAY - datetime.timedelta(days=40)
        else p
        for p in purchases
    ]
    other = train(Interactions.from_purchases(moved), today=TODAY)
    assert base.recommend("U05", 10) != other.recommend("U05", 10)
    assert base.recommend("U05", 10, profiled=False) == other.recommend("U05", 10, profiled=False)


def test_exclusions_and_negatives_never_come_back(purchases):
    data = Interactions.from_purchases(purchases, negatives={"U01": {"I01", "I00"}})
    model = train(data, today=TODAY)
    assert not {"I01", "I00"} & {r.item for r in model.recommend("U01", 30)}
    top = model.recommend("U02", 3)
    again = model.recommend("U02", 3, exclude={top[0].item})
    assert top[0].item not in {r.item for r in again} and len(again) == 3


def test_popular_by_country_counts_purchases_made_there(model, purchases):
    france = model.popular(5, "France")
    assert france and all(r.evidence["country"] == "France" for r in france)
    for rec in france:
        check_evidence(model, purchases, "", rec)
    assert model.popular(5, "Atlantis") == model.popular(5)


def test_bad_input_is_refused_with_the_reason():
    rows = [Purchase("u", "i", "1", D(2011, 7, 2), 1)]
    with pytest.raises(ValueError, match="purchases up to 2011-07-02"):
        train(Interactions.from_purchases(rows), today=D(2011, 7, 1))
    with pytest.raises(ValueError, match="quantity 0"):
        Interactions.from_purchases([Purchase("u", "i", "1", D(2011, 7, 2), 0)])
    with pytest.raises(ValueError, match="weight of cf is -1"):
        BlendConfig(cf=-1)
