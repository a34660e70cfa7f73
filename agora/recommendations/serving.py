"""Serving: the newest saved model, asked per request, with what the buyer chose applied.

The model is loaded once per process and swapped when ``LATEST`` names a newer one (checked at
most every ``RELOAD_CHECK_SECONDS``). Per request the model part is pure memory; around it come
two small indexed queries: the buyer's profiling choice and their "not interested" list, which
applies at once (the next list after the click), not at the next training.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from agora.catalog.models import Product
from agora.core import consent
from agora.core.consent import PERSONALISATION, subject_of_user
from agora.marketplace.states import SellerState
from agora.recommendations.models import Preference
from agora.recommendations.signals import buyer_key, not_interested_product_ids
from agora.recommendations.training import models_dir

RELOAD_CHECK_SECONDS = 5.0
PLACEMENTS = ("home", "product", "cart", "order")


class _Loaded:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.name: str | None = None
        self.model: Any = None
        self.checked = 0.0


_loaded = _Loaded()


def current_model(*, force: bool = False) -> Any:
    """The newest saved model, or None before the first training."""
    now = time.monotonic()
    if not force and now - _loaded.checked < RELOAD_CHECK_SECONDS:
        return _loaded.model
    with _loaded.lock:
        _loaded.checked = now
        latest = models_dir() / "LATEST"
        try:
            name = latest.read_text().strip()
        except FileNotFoundError:
            _loaded.name, _loaded.model = None, None
            return None
        if name != _loaded.name:
            from agora.recommendations.engine import store

            _loaded.model = store.load(models_dir() / name)
            _loaded.name = name
        return _loaded.model


def model_name() -> str | None:
    current_model()
    return _loaded.name


def is_profiled(user_id: int | None) -> bool:
    """Whether lists for this visitor may use what we know about them: only a signed-in buyer
    who consented to personalisation (:func:`agora.core.consent.allowed`) and has not chosen
    the non-profiled feed (DSA Art. 38). Guests: never."""
    if user_id is None or not consent.allowed(subject_of_user(user_id), PERSONALISATION):
        return False
    choice = Preference.objects.filter(user_id=user_id).values_list("profiled", flat=True).first()
    return True if choice is None else bool(choice)


@dataclass(frozen=True)
class Served:
    item: str  # product public id
    score: float
    source: str
    evidence: dict[str, Any]


def _on_sale(items: list[str]) -> set[str]:
    return set(
        Product.objects.filter(
            public_id__in=items,
            status=Product.Status.PUBLISHED,
            seller__state=SellerState.ACTIVE,
        ).values_list("public_id", flat=True)
    )


def _merge(lists: Sequence[Sequence[Any]], k: int, exclude: set[str]) -> list[Any]:
    """Round-robin over several ranked lists, skipping repeats and exclusions."""
    merged: list[Any] = []
    seen = set(exclude)
    longest = max((len(one) for one in lists), default=0)
    for position in range(longest):
        for one in lists:
            if position < len(one) and one[position].item not in seen:
                seen.add(one[position].item)
                merged.append(one[position])
    return merged[:k]


def model_recommendations(
    model: Any,
    *,
    buyer: str | None,
    k: int,
    profiled: bool,
    placement: str = "home",
    anchors: Sequence[str] = (),
    exclude: frozenset[str] = frozenset(),
) -> list[Any]:
    """The model part alone (what ``bench/recs.py`` times): pure memory, no database."""
    exclude = exclude | frozenset(anchors)
    if placement == "home" or not anchors:
        return model.recommend(buyer or "", k, exclude=exclude, profiled=profiled)
    # "Bought together" with the product shown, the cart's or the order's items: facts about
    # the items, not about the buyer, so they are shown whatever the profiling choice.
    together = [list(model.bought_together(anchor, k + len(exclude))) for anchor in anchors]
    merged = _merge(together, k, set(exclude))
    if placement != "product" and len(merged) < k:
        more = model.recommend(
            buyer or "",
            k,
            exclude=exclude | {r.item for r in merged},
            profiled=profiled,
        )
        merged += list(more)[: k - len(merged)]
    return merged


def recommend(
    *,
    user_id: int | None,
    k: int,
    placement: str = "home",
    anchors: Sequence[str] = (),
    buyer_ref: str = "",
) -> list[Served]:
    """What to show this visitor at ``placement`` (home, product, cart, order): only products
    on sale, never one they said they are not interested in, and nothing personal when they
    chose the non-profiled feed or are a guest."""
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {', '.join(PLACEMENTS)}, not {placement!r}")
    model = current_model()
    if model is None or k <= 0:
        return []
    buyer = buyer_key(user_id=user_id, buyer_ref=buyer_ref)
    profiled = is_profiled(user_id)
    excluded: frozenset[str] = frozenset()
    if buyer:
        dismissed = not_interested_product_ids(buyer=buyer)
        if dismissed:
            excluded = frozenset(
                Product.objects.filter(pk__in=dismissed).values_list("public_id", flat=True)
            )
    # Ask for a few more than needed: some may have gone off sale since training.
    found = model_recommendations(
        model,
        buyer=buyer if profiled else None,
        k=k + 4,
        profiled=profiled,
        placement=placement,
        anchors=anchors,
        exclude=excluded,
    )
    live = _on_sale([r.item for r in found])
    return [
        Served(r.item, float(r.score), r.source, dict(r.evidence)) for r in found if r.item in live
    ][:k]
