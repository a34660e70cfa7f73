"""The evaluation protocol of issue 5, so that figures from any run are comparable.

- purchase rows: CustomerID present, InvoiceNo not starting with ``C``, Quantity > 0,
  UnitPrice > 0, StockCode starting with a digit (the rest are postage, fees, adjustments);
- users: customers with at least one purchase row in both periods;
- relevant items of a user: the distinct StockCodes they bought in the test period (items bought
  before may be recommended: repeat buying is the point);
- recall@k = |top-k ∩ relevant| / |relevant| and NDCG@k with binary gains, averaged over users;
- baselines in the same run: ``popularity`` (distinct buyers in train), ``repeat`` (the user's own
  items by distinct invoices, ties by most recent, padded with popularity) and ``als``
  (``implicit`` ALS, library defaults, ``random_state=0``, on distinct-invoice counts);
- ``agora``: :func:`agora.recommendations.engine.model.train` with its shipped defaults.
"""

from __future__ import annotations

import csv
import datetime
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agora.recommendations.engine.interactions import Interactions, Purchase

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
BASELINES = ("popularity", "repeat", "als")

Progress = Callable[[str, float], None]


class EvaluationInputError(Exception):
    """A folder or file cannot be read as Online Retail by-day data; the message names it."""


@dataclass(frozen=True)
class Period:
    """The purchase rows of one folder, and the latest text seen for each item."""

    purchases: list[Purchase]
    item_text: dict[str, str]
    first_day: datetime.date
    last_day: datetime.date


def day_files(directory: Path) -> list[Path]:
    """The ``*.csv`` files of a folder in name order (by-day names sort by date)."""
    if not directory.is_dir():
        raise EvaluationInputError(f"{directory}: not a folder of Online Retail by-day CSV files")
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise EvaluationInputError(f"{directory}: holds no .csv files")
    return files


def _customer(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return text[:-2] if text.endswith(".0") else text


def purchase_rows(path: Path) -> Iterator[tuple[Purchase, str]]:
    """The rows of one file that the protocol counts as purchases, with their description.
    Raises :class:`EvaluationInputError` for a file that is not this data set's CSV."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or tuple(h.strip() for h in header) != COLUMNS:
                raise EvaluationInputError(
                    f"{path}: header is {','.join(header or [])[:100]!r}; "
                    f"expected {','.join(COLUMNS)!r}"
                )
            for fields in reader:
                if len(fields) != len(COLUMNS):
                    raise EvaluationInputError(
                        f"{path}: line {reader.line_num} has {len(fields)} columns, expected 8"
                    )
                invoice, code, text, quantity, at, price, customer, country = fields
                customer_id = _customer(customer)
                code = code.strip()
                invoice = invoice.strip()
                if customer_id is None or invoice.startswith("C") or not code[:1].isdigit():
                    continue
                try:
                    if int(quantity) <= 0 or float(price) <= 0:
                        continue
                    day = datetime.date.fromisoformat(at.strip()[:10])
                except ValueError as exc:
                    raise EvaluationInputError(
                        f"{path}: line {reader.line_num}: {exc} (Quantity {quantity!r}, "
                        f"UnitPrice {price!r}, InvoiceDate {at!r})"
                    ) from exc
                yield (
                    Purchase(customer_id, code, invoice, day, int(quantity), country.strip()),
                    text.strip(),
                )
    except (UnicodeDecodeError, csv.Error) as exc:
        raise EvaluationInputError(f"{path}: not an Online Retail CSV file: {exc}") from exc


def read_period(directory: Path, progress: Progress | None = None) -> Period:
    """Every purchase row of a folder of by-day files."""
    files = day_files(directory)
    purchases: list[Purchase] = []
    item_text: dict[str, str] = {}
    for number, path in enumerate(files, 1):
        for purchase, text in purchase_rows(path):
            purchases.append(purchase)
            if text:
                item_text[purchase.item] = text
        if progress:
            progress(f"read {path.name}", number / len(files))
    if not purchases:
        raise EvaluationInputError(f"{directory}: no purchase rows in {len(files)} files")
    days = [p.day for p in purchases]
    return Period(purchases, item_text, min(days), max(days))


# --- metrics -------------------------------------------------------------------------------


def recall_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        raise ValueError("recall is undefined for a user with no relevant items")
    return len(set(ranked[:k]) & relevant) / len(relevant)


def ndcg_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """NDCG with binary gains: DCG = Σ 1/log2(rank+1) over hits, over the DCG of an ideal list."""
    if not relevant:
        raise ValueError("NDCG is undefined for a user with no relevant items")
    dcg = sum(1.0 / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return dcg / ideal


def score(
    rankings: dict[str, Sequence[str]], relevant: dict[str, set[str]], k: int
) -> dict[str, float]:
    """Mean recall@k and NDCG@k over the users of ``relevant`` (all must be ranked)."""
    recalls = [recall_at_k(rankings[user], items, k) for user, items in relevant.items()]
    ndcgs = [ndcg_at_k(rankings[user], items, k) for user, items in relevant.items()]
    return {"recall": float(np.mean(recalls)), "ndcg": float(np.mean(ndcgs))}


# --- baselines -----------------------------------------------------------------------------


def popularity_ranking(data: Interactions) -> list[str]:
    """Items by distinct buyers, ties by item id (a repeatable order)."""
    buyers = np.bincount(
        np.unique(np.stack([data.user, data.item]).T, axis=0)[:, 1], minlength=data.n_items
    )
    order = np.lexsort((np.arange(data.n_items), -buyers))
    return [data.items[i] for i in order]


def repeat_rankings(data: Interactions, users: Iterable[str], k: int) -> dict[str, list[str]]:
    """The user's own items by distinct invoices, ties by the latest day, padded by popularity."""
    counts = data.invoice_counts()
    last = data.last_day()
    popular = popularity_ranking(data)[: k * 2]
    rankings = {}
    for user in users:
        row = data.user_index[user]
        start, end = counts.indptr[row], counts.indptr[row + 1]
        items = counts.indices[start:end]
        times = counts.data[start:end]
        days = np.asarray(last[row, items].todense()).ravel()
        order = np.lexsort((items, -days, -times))
        own = [data.items[i] for i in items[order][:k]]
        seen = set(own)
        own += [item for item in popular if item not in seen][: k - len(own)]
        rankings[user] = own
    return rankings


def als_rankings(data: Interactions, users: Sequence[str], k: int) -> dict[str, list[str]]:
    """``implicit`` ALS with the library's default hyperparameters and ``random_state=0``.

    Already-bought items are not filtered out (the protocol lets them count), and one thread
    keeps the run repeatable.
    """
    from implicit.als import AlternatingLeastSquares

    counts = data.invoice_counts()
    model = AlternatingLeastSquares(random_state=0, num_threads=1)
    model.fit(counts, show_progress=False)
    rows = np.array([data.user_index[user] for user in users])
    ids, _ = model.recommend(rows, counts[rows], N=k, filter_already_liked_items=False)
    return {user: [data.items[i] for i in ids[n] if i >= 0] for n, user in enumerate(users)}


# --- the run --------------------------------------------------------------------------------


def test_relevance(test: Iterable[Purchase], train_users: set[str]) -> dict[str, set[str]]:
    """Relevant items of each user who bought in both periods, in user order."""
    relevant: dict[str, set[str]] = defaultdict(set)
    for purchase in test:
        if purchase.user in train_users:
            relevant[purchase.user].add(purchase.item)
    return dict(sorted(relevant.items()))


def evaluate(
    train_dir: Path,
    test_dir: Path,
    *,
    k: int = 20,
    config: object | None = None,
    progress: Progress | None = None,
) -> dict[str, object]:
    """Runs the whole protocol; returns the JSON object the command prints last."""
    from agora.recommendations.engine.model import BlendConfig, train

    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    say = progress or (lambda message, fraction: None)
    train_period = read_period(train_dir, lambda m, f: say(f"train: {m}", f))
    test_period = read_period(test_dir, lambda m, f: say(f"test: {m}", f))
    if test_period.first_day <= train_period.last_day:
        raise EvaluationInputError(
            f"the test period starts on {test_period.first_day}, not after the training "
            f"period's last day {train_period.last_day}"
        )
    data = Interactions.from_purchases(train_period.purchases)
    relevant = test_relevance(test_period.purchases, set(data.users))
    if not relevant:
        raise EvaluationInputError("no customer bought in both periods; nothing to score")
    users = list(relevant)
    models: dict[str, dict[str, float]] = {}
    popular = popularity_ranking(data)[:k]
    models["popularity"] = score(dict.fromkeys(users, popular), relevant, k)
    say("baseline popularity scored", 1.0)
    models["repeat"] = score(repeat_rankings(data, users, k), relevant, k)
    say("baseline repeat scored", 1.0)
    models["als"] = score(als_rankings(data, users, k), relevant, k)
    say("baseline als scored", 1.0)
    started = time.perf_counter()
    today = train_period.last_day + datetime.timedelta(days=1)
    model = train(
        data,
        today=today,
        config=config if isinstance(config, BlendConfig) else None,
        item_text=train_period.item_text,
        progress=lambda m, f: say(f"agora: {m}", f),
    )
    train_seconds = time.perf_counter() - started
    rankings = {user: [r.item for r in model.recommend(user, k)] for user in users}
    models["agora"] = score(rankings, relevant, k)
    say("agora scored", 1.0)
    return {
        "users": len(users),
        "k": k,
        "models": {
            name: {metric: round(value, 4) for metric, value in figures.items()}
            for name, figures in models.items()
        },
        "train_seconds": round(train_seconds, 2),
    }
