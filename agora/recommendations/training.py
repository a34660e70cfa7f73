"""From the signal table to a saved model: the one pipeline ``agora recs train``, the scheduled
task and the benchmark share.

Items are products by public id (stable across ``agora recs rebuild``), buyers are signal keys
(``user:<pk>``). A purchase is an order line less its returned units; a fully returned line, a
"not interested" and a one- or two-star rating are negatives the model never recommends back.
Each model is saved to its own folder under ``DATA_DIR/recs/`` and ``LATEST`` names the newest,
written last, so a serving process never reads a half-saved model.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from agora.catalog.models import Category, Product
from agora.core import clock
from agora.recommendations.models import Signal

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # implicit's advice: BLAS threads fight ALS'

KEEP_MODELS = 3
LOW_RATING = 2.0


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "recs"


@dataclass(frozen=True)
class TrainingData:
    purchases: list[Any]  # engine.interactions.Purchase
    negatives: dict[str, set[str]]
    item_text: dict[str, str]


def training_data() -> TrainingData:
    """Reads every purchase, return, low rating and "not interested" (a few queries, streamed)."""
    from agora.recommendations.engine.interactions import Purchase

    public = dict(Product.objects.values_list("pk", "public_id"))
    returned: dict[tuple[str, int, str], float] = {}
    negatives: dict[str, set[str]] = defaultdict(set)
    negative_rows = Signal.objects.filter(
        kind__in=(Signal.Kind.RETURN, Signal.Kind.NOT_INTERESTED, Signal.Kind.RATING)
    ).values_list("buyer", "product_id", "kind", "weight", "ref")
    for buyer, product_id, kind, weight, ref in negative_rows.iterator(chunk_size=5000):
        if kind == Signal.Kind.RETURN:
            returned[(buyer, product_id, ref)] = weight
        elif (kind == Signal.Kind.NOT_INTERESTED or weight <= LOW_RATING) and product_id in public:
            negatives[buyer].add(public[product_id])
    purchases = []
    bought = Signal.objects.filter(kind=Signal.Kind.PURCHASE).values_list(
        "buyer", "product_id", "ref", "day", "weight", "country"
    )
    for buyer, product_id, ref, day, weight, country in bought.iterator(chunk_size=5000):
        item = public.get(product_id)
        if item is None:
            continue
        kept = int(weight - returned.get((buyer, product_id, ref), 0.0))
        if kept < 1:
            negatives[buyer].add(item)
            continue
        purchases.append(Purchase(buyer, item, ref, day, kept, country))
    return TrainingData(purchases, dict(negatives), item_texts(set(public.values())))


def item_texts(public_ids: set[str]) -> dict[str, str]:
    """Each product's words in every language: title, description, category name and attribute
    values, with their translations, for content similarity across en and zh-Hans."""
    categories = {row["id"]: row for row in Category.objects.values("id", "name", "translations")}
    texts: dict[str, str] = {}
    rows = Product.objects.filter(public_id__in=public_ids).values(
        "public_id", "title", "description", "translations", "attributes", "category_id"
    )
    for row in rows.iterator(chunk_size=2000):
        parts = [row["title"], row["description"]]
        for fields in (row["translations"] or {}).values():
            if isinstance(fields, dict):
                parts += [str(v) for v in fields.values() if isinstance(v, str)]
        category = categories.get(row["category_id"])
        if category:
            parts.append(category["name"])
            for fields in (category["translations"] or {}).values():
                if isinstance(fields, dict):
                    parts += [str(v) for v in fields.values() if isinstance(v, str)]
        for value in (row["attributes"] or {}).values():
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                parts.append(str(value))
        texts[row["public_id"]] = " ".join(p for p in parts if p)
    return texts


@dataclass(frozen=True)
class TrainResult:
    path: Path
    users: int
    items: int
    purchases: int
    seconds: float


def latest_signal_day() -> date | None:
    row = Signal.objects.filter(kind=Signal.Kind.PURCHASE).order_by("-day").values("day").first()
    return row["day"] if row else None


def train_and_save(
    *,
    today: date | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> TrainResult:
    """Trains on every signal and saves the model as the newest; returns where and how big.
    Raises ``ValueError`` when there is nothing to learn from (no purchases yet)."""
    from agora.recommendations.engine import store
    from agora.recommendations.engine.interactions import Interactions
    from agora.recommendations.engine.model import train

    started = time.perf_counter()
    if progress:
        progress("reading signals", 0.0)
    data = training_data()
    if not data.purchases:
        raise ValueError("no purchases to learn from: place orders or run `agora recs rebuild`")
    interactions = Interactions.from_purchases(data.purchases, negatives=data.negatives)
    model = train(
        interactions,
        today=today or clock.now().date(),
        item_text=data.item_text,
        progress=progress,
    )
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
    target = root / stamp
    store.save(model, target)
    latest = root / "LATEST"
    temporary = root / f".LATEST.{os.getpid()}"
    temporary.write_text(stamp)
    temporary.replace(latest)  # atomic: readers see the old name or the new one
    _prune(root, keep=stamp)
    return TrainResult(
        target,
        interactions.n_users,
        interactions.n_items,
        len(interactions),
        time.perf_counter() - started,
    )


def _prune(root: Path, *, keep: str) -> None:
    """Keeps the newest few models (a serving process may still be reading the previous)."""
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name)
    for folder in folders[:-KEEP_MODELS]:
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
