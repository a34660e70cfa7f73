"""``agora recs exposure --json``: the spread of exposure, checked against the lists served."""

from __future__ import annotations

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agora.recommendations import serving
from agora.recommendations.exposure import gini, top_share
from agora.recommendations.models import Signal
from tests.recommendations.conftest import Shop


def test_gini_and_top_share() -> None:
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert top_share([5, 1, 1, 1], 0.01) == (1, 0.625)


def test_the_report_matches_the_lists_buyers_get(shop: Shop) -> None:
    shop.train()
    out = StringIO()
    call_command("recs", "exposure", "--json", "--k", "3", stdout=out, verbosity=0)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    buyers = sorted(set(Signal.objects.values_list("buyer", flat=True)))
    hits: Counter[str] = Counter()
    for buyer in buyers:
        user_id = int(buyer.removeprefix("user:"))
        hits.update(s.item for s in serving.recommend(user_id=user_id, k=3))
    assert report["buyers"] == len(buyers) == 6
    assert report["impressions"] == sum(hits.values()) == 18
    on_sale = [p.public_id for p in shop.p.values()]
    assert report["items"]["on_sale"] == 8
    assert report["items"]["gini"] == round(gini([hits.get(i, 0) for i in on_sale]), 4)
    small = shop.small  # sold one mug in the window: at or below the median (2 sellers)
    mugs = hits.get(shop.p["mug"].public_id, 0) + hits.get(shop.p["spoon"].public_id, 0)
    assert report["sellers"]["small"]["sellers"] == 1
    assert report["sellers"]["small"]["share_of_impressions"] == round(mugs / 18, 4)
    assert report["sellers"]["small"]["share_of_items_on_sale"] == 0.25
    assert "median" in report["definitions"]["small_seller"]
    assert small.pk


def test_without_a_model_the_report_is_empty_or_an_error(shop: Shop) -> None:
    with pytest.raises(CommandError, match="no trained model yet"):
        call_command("recs", "exposure", "--json", verbosity=0)
    Signal.objects.all().delete()  # a store nobody has bought from yet (the demo store)
    out = StringIO()
    call_command("recs", "exposure", "--json", stdout=out, verbosity=0)
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert report["impressions"] == 0 and report["items"]["on_sale"] == 8
    assert "no purchases yet" in report["note"]
