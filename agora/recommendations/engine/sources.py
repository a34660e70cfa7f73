"""The candidate sources, each a score for every (user, item) or item pair, built at training.

Every source is plain sparse/dense linear algebra over :class:`Interactions`, so one training
run on the Online Retail data takes seconds. Scores of one source are comparable only within
that source; :mod:`model` rescales them per user before blending.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping

import numpy as np
from scipy import sparse

from agora.recommendations.engine.interactions import Interactions
from agora.recommendations.engine.text import terms


def decay(age_days: np.ndarray, half_life_days: float) -> np.ndarray:
    """exp-decay weight that halves every ``half_life_days`` (0 or less: no decay)."""
    if half_life_days <= 0:
        return np.ones_like(age_days, dtype=np.float32)
    return np.exp2(-np.asarray(age_days, np.float32) / half_life_days).astype(np.float32)


def recency_weighted(data: Interactions, today: datetime.date, half_life_days: float):
    """User x item: Σ over distinct invoices of the decayed weight of the invoice's day."""
    user, item, _, day = data.distinct_lines()
    weights = decay(today.toordinal() - day, half_life_days)
    matrix = sparse.csr_matrix((weights, (user, item)), shape=(data.n_users, data.n_items))
    matrix.sum_duplicates()
    return matrix


def repeat_due(data: Interactions, today: datetime.date) -> tuple[np.ndarray, ...]:
    """For each (user, item) bought on two or more invoices: the mean days between invoices and
    the days until the next is due (negative when overdue). Returns ``(user, item, times,
    last_day, interval, due_in)`` arrays over the pairs bought at least once."""
    user, item, _, day = data.distinct_lines()
    order = np.lexsort((day, item, user))
    user, item, day = user[order], item[order], day[order]
    new_pair = np.ones(user.size, bool)
    new_pair[1:] = (user[1:] != user[:-1]) | (item[1:] != item[:-1])
    starts = np.flatnonzero(new_pair)
    ends = np.append(starts[1:], user.size)
    times = ends - starts
    first, last = day[starts], day[ends - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        interval = np.where(times > 1, (last - first) / np.maximum(times - 1, 1), np.nan)
    due_in = last + interval - today.toordinal()
    return user[starts], item[starts], times, last, interval, due_in


def cf_factors(
    counts: sparse.csr_matrix,
    *,
    factors: int,
    regularization: float,
    alpha: float,
    iterations: int,
) -> tuple[np.ndarray, np.ndarray]:
    """ALS (``implicit``) on log-scaled invoice counts; one thread, seeded, so it repeats."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from implicit.als import AlternatingLeastSquares

    weighted = counts.copy().astype(np.float32)
    weighted.data = np.log1p(weighted.data)
    model = AlternatingLeastSquares(
        factors=factors,
        regularization=regularization,
        alpha=alpha,
        iterations=iterations,
        random_state=0,
        num_threads=1,
    )
    model.fit(weighted, show_progress=False)
    return np.asarray(model.user_factors), np.asarray(model.item_factors)


def top_k_rows(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keeps the ``k`` largest entries of each row (the neighbours worth scoring with)."""
    matrix = matrix.tocsr()
    rows, cols, vals = [], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end == start:
            continue
        data, index = matrix.data[start:end], matrix.indices[start:end]
        if end - start > k:
            keep = np.argpartition(-data, k)[:k]
            data, index = data[keep], index[keep]
        rows.append(np.full(index.size, row, np.int32))
        cols.append(index)
        vals.append(data)
    if not rows:
        return sparse.csr_matrix(matrix.shape, dtype=np.float32)
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=matrix.shape,
        dtype=np.float32,
    )


def co_invoice_counts(data: Interactions) -> sparse.csr_matrix:
    """Item x item: the number of distinct invoices holding both (diagonal zero)."""
    _, item, invoice, _ = data.distinct_lines()
    baskets = sparse.csr_matrix(
        (np.ones(item.size, np.float32), (invoice, item)),
        shape=(len(data.invoices), data.n_items),
    )
    together = (baskets.T @ baskets).tocsr()
    together.setdiag(0)
    together.eliminate_zeros()
    return together


def co_buyer_counts(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Item x item: the number of distinct users who bought both (diagonal: buyers of the item)."""
    bought = counts.copy()
    bought.data[:] = 1
    return (bought.T @ bought).tocsr()


def cosine_normalised(
    together: sparse.csr_matrix, totals: np.ndarray, shrink: float
) -> sparse.csr_matrix:
    """together(i, j) / (sqrt(n_i · n_j) + shrink), n being each item's own total: a pair seen in
    few baskets counts less than one seen in many, and a best-seller does not pair with all."""
    coo = together.tocoo()
    size = np.sqrt(np.maximum(totals[coo.row], 1) * np.maximum(totals[coo.col], 1))
    values = coo.data / (size + shrink)
    return sparse.csr_matrix((values.astype(np.float32), (coo.row, coo.col)), shape=together.shape)


def item_baskets(data: Interactions) -> np.ndarray:
    """The number of distinct invoices holding each item."""
    _, item, _, _ = data.distinct_lines()
    return np.bincount(item, minlength=data.n_items)


def content_similarity(
    items: list[str], item_text: Mapping[str, str], neighbours: int
) -> tuple[sparse.csr_matrix, list[list[str]]]:
    """Item x item cosine of TF-IDF term vectors (top ``neighbours`` per item), and each item's
    terms (for the reason's shared terms)."""
    item_terms = [terms(item_text.get(item, "")) for item in items]
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, found in enumerate(item_terms):
        for term in found:
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    if not vocabulary:
        return sparse.csr_matrix((len(items), len(items)), dtype=np.float32), item_terms
    presence = sparse.csr_matrix(
        (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(items), len(vocabulary))
    )
    document_frequency = np.asarray(presence.sum(axis=0)).ravel()
    idf = np.log((1 + len(items)) / (1 + document_frequency)).astype(np.float32) + 1
    weighted = presence @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    weighted = sparse.diags(1 / np.maximum(norms, 1e-9)) @ weighted
    similarity = (weighted @ weighted.T).tocsr()
    similarity.setdiag(0)
    similarity.eliminate_zeros()
    return top_k_rows(similarity, neighbours), item_terms


def buyers_between(
    data: Interactions, first: datetime.date, last: datetime.date, country: int | None = None
) -> np.ndarray:
    """Distinct buyers of each item between two days (inclusive), optionally counting only the
    purchases made in one country (an index into ``data.countries``)."""
    mask = (data.day >= first.toordinal()) & (data.day <= last.toordinal())
    if country is not None:
        mask &= data.country == country
    pairs = np.unique(np.stack([data.user[mask], data.item[mask]]).T, axis=0)
    return (
        np.bincount(pairs[:, 1], minlength=data.n_items)
        if pairs.size
        else np.zeros(data.n_items, np.int64)
    )


def seasonal_window(today: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    """The ``days`` starting today, one year (52 weeks, so weekdays match) earlier."""
    start = today - datetime.timedelta(days=364)
    return start, start + datetime.timedelta(days=days - 1)


def log_scaled(values: np.ndarray) -> np.ndarray:
    return np.log1p(values.astype(np.float32))
