"""The blend: configuration, training into precomputed lists, and the served :class:`Model`.

Training scores every (user, item) with each source, rescales each source per user to [0, 1],
adds them with the :class:`BlendConfig` weights and keeps the top ``top_n`` items per user, each
with the source that contributed most and the facts that source cites (see
:mod:`~agora.recommendations.engine.evidence`). Serving is then a lookup in those arrays.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agora.recommendations.engine.interactions import Interactions

SOURCES = ("repeat", "cf", "co_purchase", "content", "seasonal", "popular")
Progress = Callable[[str, float], None]


@dataclass
class BlendConfig:
    """Weights of each source and their parameters.

    The defaults were tuned on a validation split of the shared Online Retail data only (train up
    to 2011-06-30, validate July-September 2011; figures in BENCHMARKS.md), then checked unchanged
    on an earlier split (train up to 2011-03-31, test April-June).
    """

    repeat: float = 1.0
    cf: float = 0.5
    co_purchase: float = 0.25
    content: float = 0.1
    seasonal: float = 0.1
    popular: float = 0.2
    # repeat: Σ over the user's invoices of the item of 2^(-age / half-life), times the item's
    # share of buyers who bought it again (smoothed) to this power: some goods are rebought.
    repeat_half_life_days: float = 90.0
    repeat_rebuy_power: float = 0.5
    # cf: implicit ALS on log(1 + distinct invoices)
    cf_factors: int = 64
    cf_regularization: float = 0.05
    cf_alpha: float = 10.0
    cf_iterations: int = 15
    # co_purchase: baskets holding both items over sqrt(baskets of each) + shrink, anchored on the
    # user's items weighted by how recently they bought them
    co_purchase_half_life_days: float = 30.0
    co_purchase_shrink: float = 5.0
    co_purchase_neighbours: int = 100
    content_neighbours: int = 50
    seasonal_window_days: int = 30
    popular_window_days: int = 30
    top_n: int = 100
    batch_users: int = 256

    def __post_init__(self) -> None:
        for name in SOURCES:
            if getattr(self, name) < 0:
                raise ValueError(f"weight of {name} is {getattr(self, name)}; expected 0 or more")
        for name in ("cf_factors", "cf_iterations", "top_n", "batch_users"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} is {getattr(self, name)}; expected 1 or more")
        for name in ("seasonal_window_days", "popular_window_days", "content_neighbours"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} is {getattr(self, name)}; expected 1 or more")

    def weights(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in SOURCES}

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Recommendation:
    """One recommended item: ``source`` is the source that contributed most to its score and
    ``evidence`` the JSON-serialisable facts of the training data that a reason cites."""

    item: str
    score: float
    source: str
    evidence: dict


@dataclass
class Model:
    """Precomputed lists; every method is a lookup. Arrays are padded with -1.

    Per user (row of ``user_items``): item index, blended score, source code (index into
    :data:`SOURCES`) and up to three evidence numbers (an item index, a day ordinal and a count,
    read per source by :func:`~agora.recommendations.engine.evidence.describe`).
    """

    users: list[str]
    items: list[str]
    countries: list[str]
    today: datetime.date
    config: BlendConfig
    meta: dict[str, Any]  # facts shared by all reasons: windows, seasonal period
    item_terms: list[list[str]]
    user_items: np.ndarray
    user_scores: np.ndarray
    user_sources: np.ndarray
    user_evidence: np.ndarray  # (users, top_n, 4) int32: item, day, count, due_in (or NO_VALUE)
    item_items: np.ndarray  # bought together: (items, m)
    item_scores: np.ndarray
    item_sources: np.ndarray
    item_evidence: np.ndarray  # (items, m) int32: baskets together
    popular_items: np.ndarray  # (countries + 1, p): row 0 everyone, row c + 1 country c
    popular_buyers: np.ndarray
    negative: dict[str, list[str]] = field(default_factory=dict)  # kept out of padding too
    user_index: dict[str, int] = field(init=False, repr=False)
    item_index: dict[str, int] = field(init=False, repr=False)
    country_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.user_index = {user: n for n, user in enumerate(self.users)}
        self.item_index = {item: n for n, item in enumerate(self.items)}
        self.country_index = {country: n for n, country in enumerate(self.countries)}

    def recommend(
        self,
        user: str,
        k: int,
        *,
        exclude: set[str] | frozenset[str] = frozenset(),
        profiled: bool = True,
    ) -> list[Recommendation]:
        """The user's top ``k``, without ``exclude``. ``profiled=False`` (or an unknown user)
        gives the same popularity feed to everyone: nothing about the person is used (not even
        their stored negatives: pass "not interested" items in ``exclude``). A known user's list
        is padded with that feed, less their negatives, when it holds fewer than ``k``."""
        from agora.recommendations.engine.evidence import describe_user

        if k < 1:
            return []
        row = self.user_index.get(user) if profiled else None
        chosen: list[Recommendation] = []
        if row is not None:
            for position in range(self.user_items.shape[1]):
                index = int(self.user_items[row, position])
                if index < 0:
                    break
                item = self.items[index]
                if item in exclude:
                    continue
                chosen.append(describe_user(self, row, position))
                if len(chosen) == k:
                    return chosen
        taken = set(exclude) | {r.item for r in chosen}
        if profiled:
            taken |= set(self.negative.get(user, ()))
        chosen.extend(self.popular(k - len(chosen), exclude=taken))
        return chosen

    def bought_together(self, item: str, k: int) -> list[Recommendation]:
        """Items bought on the same invoices as ``item`` (then items described alike)."""
        from agora.recommendations.engine.evidence import describe_item

        row = self.item_index.get(item)
        if row is None or k < 1:
            return []
        found = []
        for position in range(self.item_items.shape[1]):
            if self.item_items[row, position] < 0 or len(found) == k:
                break
            found.append(describe_item(self, row, position))
        return found

    def popular(
        self,
        k: int,
        country: str | None = None,
        *,
        exclude: set[str] | frozenset[str] = frozenset(),
    ) -> list[Recommendation]:
        """Items by distinct buyers in the last ``popular_window_days`` (in ``country`` when it
        is known to the model, else everyone's), then by buyers over the whole training data."""
        window = self.config.popular_window_days
        row = self.country_index.get(country, -1) + 1 if country else 0
        found = []
        for position in range(self.popular_items.shape[1]):
            index = int(self.popular_items[row, position])
            if index < 0 or len(found) >= k:
                break
            item = self.items[index]
            if item in exclude:
                continue
            buyers = int(self.popular_buyers[row, position])
            evidence = {
                "buyers": buyers,
                "window_days": window,
                "country": self.countries[row - 1] if row else None,
            }
            found.append(Recommendation(item, float(buyers), "popular", evidence))
        return found


def train(
    data: Interactions,
    *,
    today: datetime.date,
    config: BlendConfig | None = None,
    item_text: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Model:
    """Trains every source on ``data`` as of ``today`` (normally the day after the data) and
    precomputes each user's and each item's lists. ``item_text`` (item → its text in every
    language it has, joined) feeds the content source; without it that source is silent."""
    from agora.recommendations.engine.training import build

    if len(data) == 0:
        raise ValueError("no purchases to train on")
    latest = datetime.date.fromordinal(int(data.day.max()))
    if latest > today:
        raise ValueError(f"today is {today}, but the data has purchases up to {latest}")
    return build(
        data,
        today=today,
        config=config or BlendConfig(),
        item_text=item_text or {},
        progress=progress or (lambda message, fraction: None),
    )
