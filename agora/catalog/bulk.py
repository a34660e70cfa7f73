"""Bulk services of catalog, for historic loads (imports) only.

A sales history implies a catalogue: every SKU sold is a product, and the text it was sold
under is its title at that moment. ``product_create`` audits and publishes per product; a
history of thousands of SKUs and hundreds of thousands of sales is written here in bulk inside
the caller's transaction instead, with no audit entry and no event of its own (the caller
records one audit entry per batch; ``product.published`` for goods sold in 2011 would only wake
search and webhooks for the past).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Protocol

from django.db.models import Max
from django.utils.text import slugify

from agora.catalog.models import Product, ProductTextHistory, Variant
from agora.core.bulk import chunks, require_atomic
from agora.marketplace.models import Seller


class SkuSighting(Protocol):
    """A SKU seen in a historic source (a sale row) at a moment. The bulk services take rows
    of any type with these attributes, so a load of 400 000 rows copies none of them."""

    @property
    def sku(self) -> str: ...
    @property
    def at(self) -> datetime: ...


class TitleSighting(SkuSighting, Protocol):
    @property
    def description(self) -> str: ...  # the text it was sold under (empty: none given)


@dataclass(frozen=True, slots=True)
class ProductState:
    """What a bulk load needs to know of a one-variant product, to keep between batches."""

    variant_id: int
    product_id: int
    title: str
    since: datetime  # when the current title took effect


@dataclass(frozen=True, slots=True)
class ProductsImported:
    states: dict[str, ProductState]  # by SKU, for every SKU of the sightings, after the load
    created_variant_ids: set[int]
    title_changes: int


def products_import_bulk(
    *, seller: Seller, sightings: Sequence[TitleSighting], known: Mapping[str, ProductState]
) -> ProductsImported:
    """Makes sure each SKU of ``sightings`` is a published one-variant product of ``seller``;
    the latest text (by time) becomes the title, and each title it replaces goes to
    ``ProductTextHistory`` with the span it was in force.

    ``known`` holds the states of SKUs the caller has already resolved (the database is asked
    only about the others); sightings may arrive in any order across calls. Runs inside the
    caller's transaction (refuses otherwise); the caller checks permissions and audits the batch.
    """
    require_atomic("products_import_bulk")
    if not sightings:
        return ProductsImported(states={}, created_variant_ids=set(), title_changes=0)
    ordered = sorted(sightings, key=attrgetter("at"))  # stable: same moment in source order
    skus = {s.sku for s in ordered}
    current = {sku: known[sku] for sku in skus if sku in known}
    current.update(_stored_states(seller, sorted(skus - current.keys())))

    # New products start with their first description; the walk below moves them on.
    fresh: dict[str, ProductState] = {}
    first_at: dict[str, datetime] = {}
    for s in ordered:
        if s.sku in current:
            continue
        first_at.setdefault(s.sku, s.at)
        if s.sku not in fresh or (not fresh[s.sku].title and s.description):
            fresh[s.sku] = ProductState(0, 0, s.description, first_at[s.sku])
    for sku, state in fresh.items():
        if not state.title:
            fresh[sku] = dataclasses.replace(state, title=sku)

    states = {**current, **fresh}
    history: list[tuple[str, str, datetime, datetime]] = []  # sku, old title, from, replaced at
    known_titles: dict[str, set[str]] = {}
    for s in ordered:
        state = states[s.sku]
        if not s.description or s.description == state.title:
            continue
        if s.at >= state.since:
            history.append((s.sku, state.title, state.since, s.at))
            states[s.sku] = dataclasses.replace(state, title=s.description, since=s.at)
        else:  # an older description arriving late (files imported out of order)
            seen = known_titles.get(s.sku)
            if seen is None:
                older = ProductTextHistory.objects.filter(
                    product_id=state.product_id, field="title"
                )
                seen = known_titles[s.sku] = set(older.values_list("value", flat=True))
            if s.description not in seen:
                seen.add(s.description)
                history.append((s.sku, s.description, s.at, state.since))

    variants = _create(seller, fresh, states, first_at)
    renamed = [
        Product(pk=state.product_id, title=state.title[:300], updated_at=state.since)
        for sku, state in states.items()
        if sku not in fresh and state != current[sku]
    ]
    Product.objects.bulk_update(renamed, ["title", "updated_at"], batch_size=200)
    ProductTextHistory.objects.bulk_create(
        ProductTextHistory(
            product_id=states[sku].product_id,
            field="title",
            value=value,
            valid_from=start,
            replaced_at=end,
        )
        for sku, value, start, end in history
    )
    return ProductsImported(
        states=states, created_variant_ids={v.pk for v in variants}, title_changes=len(history)
    )


def _stored_states(seller: Seller, skus: list[str]) -> dict[str, ProductState]:
    """The states of ``skus`` that are already products of ``seller``: the current title took
    effect when the last one was replaced, or when the product was created."""
    found: dict[str, ProductState] = {}
    for chunk in chunks(skus):
        rows = list(
            Variant.objects.filter(seller=seller, sku__in=chunk).values_list(
                "id", "product_id", "sku", "product__title", "product__created_at"
            )
        )
        last_change = dict(
            ProductTextHistory.objects.filter(product_id__in=[r[1] for r in rows], field="title")
            .values("product_id")
            .annotate(latest=Max("replaced_at"))
            .values_list("product_id", "latest")
        )
        for variant_id, product_id, sku, title, created_at in rows:
            since = max(created_at, last_change.get(product_id, created_at))
            found[sku] = ProductState(variant_id, product_id, title, since)
    return found


def _create(
    seller: Seller,
    fresh: dict[str, ProductState],
    states: dict[str, ProductState],
    first_at: dict[str, datetime],
) -> list[Variant]:
    """Products (published, as sold) and their one variant for the ``fresh`` SKUs, with the
    title each ends the batch with; fills in their ids in ``states``."""
    products = [
        Product(
            seller=seller,
            slug=slugify(f"sku-{sku}")[:120],
            title=states[sku].title[:300],
            language="en",
            status=Product.Status.PUBLISHED,
            published_at=first_at[sku],
            created_at=first_at[sku],
            updated_at=states[sku].since,
        )
        for sku in fresh
    ]
    Product.objects.bulk_create(products)
    variants = [
        Variant(product=p, seller=seller, sku=sku, position=0, created_at=p.created_at)
        for sku, p in zip(fresh, products, strict=True)
    ]
    Variant.objects.bulk_create(variants)
    for sku, variant in zip(fresh, variants, strict=True):
        states[sku] = dataclasses.replace(
            states[sku], variant_id=variant.pk, product_id=variant.product_id
        )
    return variants
