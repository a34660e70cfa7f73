"""Saving and loading a model: same answers, no pickle, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from agora.recommendations.engine.interactions import Interactions
from agora.recommendations.engine.model import train
from agora.recommendations.engine.store import ModelFileError, load, save

from .synthetic import TEXT, TODAY, shop


def test_round_trip_gives_the_same_answers(tmp_path):
    model = train(Interactions.from_purchases(shop()), today=TODAY, item_text=TEXT)
    save(model, tmp_path / "m")
    save(model, tmp_path / "m")  # replacing an existing model works
    loaded = load(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["arrays.npz", "model.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no staging folders left behind
    for user in model.users:
        assert loaded.recommend(user, 10) == model.recommend(user, 10)
        assert loaded.recommend(user, 5, profiled=False) == model.recommend(user, 5, profiled=False)
    for item in model.items:
        assert loaded.bought_together(item, 5) == model.bought_together(item, 5)
    assert loaded.popular(5, "France") == model.popular(5, "France")
    assert loaded.config == model.config and loaded.today == model.today
    with np.load(tmp_path / "m" / "arrays.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_a_loaded_model_serves_every_user_without_the_excluded_item(tmp_path):
    """Serving speed is measured in bench/recs.py (p99 0.144 ms), never asserted here; this
    checks what a lookup must give: k items, best first, none excluded, for every user."""
    model = train(Interactions.from_purchases(shop(users=200, items=60)), today=TODAY)
    save(model, tmp_path / "m")
    loaded = load(tmp_path / "m")
    for user in loaded.users:
        got = loaded.recommend(user, 20, exclude={"I01"})
        assert len(got) == 20 and "I01" not in {r.item for r in got}
        assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)


def test_loading_something_else_fails_clearly(tmp_path):
    with pytest.raises(ModelFileError, match=r"no model\.json"):
        load(tmp_path)
    (tmp_path / "model.json").write_text('{"format": 99}')
    with pytest.raises(ModelFileError, match="format 99; expected 1"):
        load(tmp_path)
