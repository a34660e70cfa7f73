"""Training: every source scored for users in batches, blended, cut to the top lists.

Memory stays at a few (batch x items) arrays plus the sparse item x item tables, so a catalogue
of some ten thousand items trains on a laptop; the evidence of each kept item is found here,
once, so that serving never touches the interaction data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

import numpy as np
from scipy import sparse

from agora.recommendations.engine import sources
from agora.recommendations.engine.interactions import Interactions
from agora.recommendations.engine.model import SOURCES, BlendConfig, Model

NO_VALUE = np.iinfo(np.int32).min  # an evidence number that does not apply
SOURCE_CODE = {name: code for code, name in enumerate(SOURCES)}
ITEM_NEIGHBOURS = 50
POPULAR_LENGTH = 200


def _rescale(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum, so a source's strongest item for a user scores 1."""
    top = scores.max(axis=1, keepdims=True)
    top[top <= 0] = 1
    return scores / top


class _Tables:
    """What training derives once from the interactions, shared by scoring and evidence."""

    def __init__(
        self, data: Interactions, today: datetime.date, config: BlendConfig, text: Mapping
    ) -> None:
        self.data, self.today, self.config = data, today, config
        self.counts = data.invoice_counts()
        self.last_day = data.last_day()
        bought = self.counts.copy()
        bought.data[:] = 1
        buyers = np.asarray(bought.sum(axis=0)).ravel()
        rebuyers = np.asarray((self.counts > 1).sum(axis=0)).ravel()
        rebuy_rate = (rebuyers + 1) / (buyers + 5)
        self.repeat = (
            sources.recency_weighted(data, today, config.repeat_half_life_days)
            @ sparse.diags((rebuy_rate**config.repeat_rebuy_power).astype(np.float32))
        ).tocsr()
        user, item, _, _, _, due_in = sources.repeat_due(data, today)
        due = np.where(np.isnan(due_in), NO_VALUE, np.round(np.nan_to_num(due_in)))
        self.due = {(int(u), int(i)): int(d) for u, i, d in zip(user, item, due, strict=True)}
        self.anchors = sources.recency_weighted(data, today, config.co_purchase_half_life_days)
        self.together = sources.co_invoice_counts(data)
        self.co_purchase = sources.top_k_rows(
            sources.cosine_normalised(
                self.together, sources.item_baskets(data), config.co_purchase_shrink
            ),
            config.co_purchase_neighbours,
        )
        self.co_buyers = sources.co_buyer_counts(self.counts)
        self.content, self.item_terms = sources.content_similarity(
            data.items, text, config.content_neighbours
        )
        self.user_factors, self.item_factors = (
            sources.cf_factors(
                self.counts,
                factors=config.cf_factors,
                regularization=config.cf_regularization,
                alpha=config.cf_alpha,
                iterations=config.cf_iterations,
            )
            if config.cf > 0
            else (np.zeros((data.n_users, 1), np.float32), np.zeros((data.n_items, 1), np.float32))
        )
        first, last = sources.seasonal_window(today, config.seasonal_window_days)
        self.seasonal_period = (first, last)
        self.seasonal_buyers = sources.buyers_between(data, first, last)
        window_start = today - datetime.timedelta(days=config.popular_window_days)
        self.popular_buyers = sources.buyers_between(data, window_start, today)
        self.all_buyers = buyers

    def scores(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Each source's weighted, rescaled scores for a batch of users (rows x items)."""
        weights = self.config.weights()
        shape = (rows.size, self.data.n_items)
        raw = {
            "repeat": self.repeat[rows].toarray(),
            "cf": self.user_factors[rows] @ self.item_factors.T,
            "co_purchase": (self.anchors[rows] @ self.co_purchase).toarray(),
            "content": (self.anchors[rows] @ self.content).toarray(),
            "seasonal": np.broadcast_to(np.log1p(self.seasonal_buyers.astype(np.float32)), shape),
            "popular": np.broadcast_to(np.log1p(self.popular_buyers.astype(np.float32)), shape),
        }
        return {
            name: weights[name] * _rescale(np.asarray(values, np.float32))
            for name, values in raw.items()
            if weights[name] > 0
        }


class _UserFacts:
    """The facts about one user that reasons cite, read lazily: dense rows of the item x item
    tables for the user's own items, taken once per user rather than once per item."""

    def __init__(self, tables: _Tables, row: int) -> None:
        self.tables, self.row = tables, row
        start, end = tables.counts.indptr[row], tables.counts.indptr[row + 1]
        own = tables.counts.indices[start:end]
        self.times = dict(
            zip(own.tolist(), tables.counts.data[start:end].astype(int).tolist(), strict=True)
        )
        start, end = tables.last_day.indptr[row], tables.last_day.indptr[row + 1]
        self.last = dict(
            zip(
                tables.last_day.indices[start:end].tolist(),
                tables.last_day.data[start:end].astype(int).tolist(),
                strict=True,
            )
        )
        start, end = tables.anchors.indptr[row], tables.anchors.indptr[row + 1]
        self.own = tables.anchors.indices[start:end]
        self.weight = tables.anchors.data[start:end]
        self._dense: dict[str, np.ndarray] = {}

    def dense(self, name: str) -> np.ndarray:
        if name not in self._dense:
            table = {
                "co_purchase": self.tables.co_purchase,
                "content": self.tables.content,
                "cf": self.tables.co_buyers,
                "together": self.tables.together,
            }[name]
            self._dense[name] = table[self.own].toarray()
        return self._dense[name]

    def evidence(self, item: int, order: list[str]) -> tuple[str, tuple[int, ...]] | None:
        """The first source of ``order`` (strongest contribution first) with a fact to cite
        about this item, and its numbers (item, day, count, due); None when none has one."""
        tables = self.tables
        others = self.own != item
        for name in order:
            if name == "repeat" and item in self.times:
                due = tables.due.get((self.row, item), NO_VALUE)
                return name, (NO_VALUE, self.last[item], self.times[item], due)
            if name == "cf" and others.any():
                shared = self.dense("cf")[:, item] - (item in self.times)  # not the user
                shared = np.where(others, shared, 0)
                best = int(np.argmax(shared))
                if shared[best] > 0:
                    return name, (int(self.own[best]), NO_VALUE, int(shared[best]), NO_VALUE)
            if name in {"co_purchase", "content"} and others.any():
                strength = np.where(others, self.dense(name)[:, item] * self.weight, 0)
                best = int(np.argmax(strength))
                if strength[best] > 0:
                    anchor = int(self.own[best])
                    together = (
                        int(self.dense("together")[best, item])
                        if name == "co_purchase"
                        else NO_VALUE
                    )
                    return name, (anchor, self.last[anchor], together, NO_VALUE)
            if name == "seasonal" and tables.seasonal_buyers[item] > 0:
                return name, (NO_VALUE, NO_VALUE, int(tables.seasonal_buyers[item]), NO_VALUE)
            if name == "popular" and tables.popular_buyers[item] > 0:
                return name, (NO_VALUE, NO_VALUE, int(tables.popular_buyers[item]), NO_VALUE)
        return None


def _user_lists(tables: _Tables, progress: Callable[[str, float], None]) -> tuple[np.ndarray, ...]:
    data, config = tables.data, tables.config
    size = min(config.top_n, data.n_items)
    items = np.full((data.n_users, size), -1, np.int32)
    scores = np.zeros((data.n_users, size), np.float32)
    codes = np.full((data.n_users, size), -1, np.int8)
    evidence = np.full((data.n_users, size, 4), NO_VALUE, np.int32)
    negative = {
        data.user_index[user]: [data.item_index[i] for i in found if i in data.item_index]
        for user, found in data.negative.items()
        if user in data.user_index
    }
    for start in range(0, data.n_users, config.batch_users):
        rows = np.arange(start, min(start + config.batch_users, data.n_users))
        parts = tables.scores(rows)
        names = list(parts)
        stacked = np.stack([parts[name] for name in names])  # sources x rows x items
        blended = stacked.sum(axis=0)
        for offset, row in enumerate(rows):
            if row in negative:
                blended[offset, negative[row]] = -np.inf
        top = np.argpartition(-blended, size - 1, axis=1)[:, :size]
        for offset, row in enumerate(rows):
            candidates = top[offset][np.argsort(-blended[offset, top[offset]], kind="stable")]
            facts = _UserFacts(tables, int(row))
            kept = 0
            for item in candidates:
                value = blended[offset, item]
                if not np.isfinite(value):
                    break
                contributions = stacked[:, offset, item]
                order = [names[n] for n in np.argsort(-contributions, kind="stable")]
                found = facts.evidence(int(item), order)
                if found is None:
                    continue
                name, numbers = found
                items[row, kept], scores[row, kept] = item, value
                codes[row, kept] = SOURCE_CODE[name]
                evidence[row, kept] = numbers
                kept += 1
        progress("ranked users", rows[-1] / max(data.n_users - 1, 1))
    return items, scores, codes, evidence


def _item_lists(tables: _Tables) -> tuple[np.ndarray, ...]:
    """Bought together: items by normalised co-invoice strength, then similar descriptions."""
    n_items = tables.data.n_items
    size = min(ITEM_NEIGHBOURS, max(n_items - 1, 1))
    items = np.full((n_items, size), -1, np.int32)
    scores = np.zeros((n_items, size), np.float32)
    codes = np.full((n_items, size), -1, np.int8)
    together = np.zeros((n_items, size), np.int32)
    strength = tables.co_purchase.tocsr()
    similar = tables.content.tocsr()
    for item in range(n_items):
        kept = 0
        seen: set[int] = set()
        for table, name in ((strength, "co_purchase"), (similar, "content")):
            start, end = table.indptr[item], table.indptr[item + 1]
            neighbours, values = table.indices[start:end], table.data[start:end]
            for position in np.argsort(-values, kind="stable"):
                other = int(neighbours[position])
                if kept == size or other in seen or values[position] <= 0:
                    break
                seen.add(other)
                items[item, kept], codes[item, kept] = other, SOURCE_CODE[name]
                scores[item, kept] = values[position] if name == "co_purchase" else 0
                together[item, kept] = int(tables.together[item, other])
                kept += 1
    return items, scores, codes, together


def _popular_lists(tables: _Tables) -> tuple[np.ndarray, np.ndarray]:
    """Row 0: everyone; row c + 1: purchases made in country c. Ties by all-time buyers."""
    data, config = tables.data, tables.config
    start = tables.today - datetime.timedelta(days=config.popular_window_days)
    size = min(POPULAR_LENGTH, data.n_items)
    items = np.full((len(data.countries) + 1, size), -1, np.int32)
    buyers = np.zeros((len(data.countries) + 1, size), np.int32)
    for row in range(len(data.countries) + 1):
        counts = (
            tables.popular_buyers
            if row == 0
            else sources.buyers_between(data, start, tables.today, country=row - 1)
        )
        order = np.lexsort((np.arange(data.n_items), -tables.all_buyers, -counts))
        order = order[counts[order] > 0][:size]
        items[row, : order.size] = order
        buyers[row, : order.size] = counts[order]
    return items, buyers


def build(
    data: Interactions,
    *,
    today: datetime.date,
    config: BlendConfig,
    item_text: Mapping[str, str],
    progress: Callable[[str, float], None],
) -> Model:
    progress("building sources", 0.0)
    tables = _Tables(data, today, config, item_text)
    progress("sources built", 1.0)
    user_items, user_scores, user_sources, user_evidence = _user_lists(tables, progress)
    item_items, item_scores, item_sources, item_evidence = _item_lists(tables)
    popular_items, popular_buyers = _popular_lists(tables)
    progress("item lists built", 1.0)
    first, last = tables.seasonal_period
    return Model(
        users=list(data.users),
        items=list(data.items),
        countries=list(data.countries),
        today=today,
        config=config,
        meta={
            "seasonal_from": first.isoformat(),
            "seasonal_to": last.isoformat(),
            "trained_on": len(data),
        },
        item_terms=tables.item_terms,
        user_items=user_items,
        user_scores=user_scores,
        user_sources=user_sources,
        user_evidence=user_evidence,
        item_items=item_items,
        item_scores=item_scores,
        item_sources=item_sources,
        item_evidence=item_evidence,
        popular_items=popular_items,
        popular_buyers=popular_buyers,
        negative={user: sorted(items) for user, items in data.negative.items() if items},
    )
