"""Every write to the signal table: purchases and returns recomputed from the orders, and the
storefront's views, cart adds, ratings and "not interested".

Purchases and returns are never accumulated from event payloads: each refresh deletes an order's
rows and writes them again from the order as it stands, so an event applied late, twice or out
of order leaves the truth, and ``signals_rebuild`` is the same code run over every order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from agora.core import clock, consent
from agora.core.bulk import chunks
from agora.core.consent import PERSONALISATION
from agora.orders.models import Order, OrderLine
from agora.recommendations.models import Signal

# Orders whose goods the buyer has (or will have): a cancelled or fully refunded order is not a
# purchase, and its lines leave the signals when it turns so.
BOUGHT = (
    Order.Status.PAID,
    Order.Status.PARTIALLY_FULFILLED,
    Order.Status.FULFILLED,
    Order.Status.DELIVERED,
    Order.Status.COMPLETED,
)
ORDER_KINDS = (Signal.Kind.PURCHASE, Signal.Kind.RETURN)
# Signals a page may record; purchases and returns only come from orders.
PAGE_KINDS = (Signal.Kind.VIEW, Signal.Kind.CART_ADD, Signal.Kind.RATING)


def buyer_key(*, user_id: int | None, buyer_ref: str = "") -> str:
    """How signals name a buyer: the account when there is one, else checkout's guest ref."""
    return f"user:{user_id}" if user_id else buyer_ref


def _order_rows(orders: Iterable[dict]) -> list[Signal]:
    """The purchase and return rows of orders given as ``values()`` dicts."""
    by_id = {o["id"]: o for o in orders}
    rows: list[Signal] = []
    if not by_id:
        return rows
    merged: dict[tuple, Signal] = {}
    consented: dict[str, bool] = {}
    lines = OrderLine.objects.filter(order_id__in=list(by_id)).values_list(
        "order_id", "variant__product_id", "variant_id", "quantity", "returned_quantity"
    )
    for order_id, product_id, variant_id, quantity, returned in lines:
        if product_id is None:
            continue
        order = by_id[order_id]
        buyer = buyer_key(user_id=order["buyer_id"], buyer_ref=order["buyer_ref"])
        if buyer and buyer not in consented:
            consented[buyer] = consent.allowed(buyer, PERSONALISATION)
        if not buyer or not consented[buyer]:
            continue  # purchases feed recommendations only with consent to personalisation
        day = order["placed_at"].date()
        for kind, weight in ((Signal.Kind.PURCHASE, quantity), (Signal.Kind.RETURN, returned)):
            if weight <= 0:
                continue
            key = (buyer, product_id, kind, day, order["public_id"])
            if key in merged:  # two variants of one product on one order
                merged[key].weight += weight
                continue
            merged[key] = Signal(
                buyer=buyer,
                product_id=product_id,
                variant_id=variant_id,
                kind=kind,
                weight=float(weight),
                day=day,
                ref=order["public_id"],
                country=order["ship_country"][:60],
            )
    rows.extend(merged.values())
    return rows


_ORDER_FIELDS = ("id", "public_id", "buyer_id", "buyer_ref", "placed_at", "ship_country")


def signals_refresh_orders(*, order_public_ids: list[str]) -> int:
    """Makes the purchase and return signals of these orders match the orders now; returns the
    number of rows written. Runs inside the caller's transaction when there is one."""
    with transaction.atomic():
        Signal.objects.filter(ref__in=order_public_ids, kind__in=ORDER_KINDS).delete()
        orders = Order.objects.filter(public_id__in=order_public_ids, status__in=BOUGHT)
        rows = _order_rows(orders.values(*_ORDER_FIELDS))
        Signal.objects.bulk_create(rows)
    return len(rows)


def signals_forget_buyer(*, buyer: str) -> int:
    """Deletes what recommendations kept about ``buyer`` (purchases, returns, views, cart adds,
    ratings), keeping their "not interested" instructions; returns the rows deleted."""
    kinds = (*ORDER_KINDS, *PAGE_KINDS)
    deleted, _ = Signal.objects.filter(buyer=buyer, kind__in=kinds).delete()
    return deleted


def signals_refresh_buyer(*, buyer: str) -> int:
    """Recomputes ``buyer``'s purchase and return signals from their orders (after they consent
    again); page signals from before are gone for good."""
    if buyer.startswith("user:"):
        orders = Order.objects.filter(buyer_id=int(buyer.removeprefix("user:")))
    else:
        orders = Order.objects.filter(buyer_id=None, buyer_ref=buyer)
    ids = list(orders.values_list("public_id", flat=True))
    return signals_refresh_orders(order_public_ids=ids) if ids else 0


def signals_rebuild(
    *, batch: int = 2000, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Recreates every purchase and return signal from the orders (imported ones included), in
    one transaction so a reader never sees half a table. Views, cart adds, ratings and "not
    interested" have no other source and are kept."""
    with transaction.atomic():
        deleted, _ = Signal.objects.filter(kind__in=ORDER_KINDS).delete()
        ids = list(
            Order.objects.filter(status__in=BOUGHT).order_by("id").values_list("id", flat=True)
        )
        written = done = 0
        for chunk in chunks(ids, batch):
            orders = Order.objects.filter(id__in=chunk).values(*_ORDER_FIELDS)
            rows = _order_rows(orders)
            Signal.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
            done += len(chunk)
            if progress is not None:
                progress(done, len(ids))
    return {"orders": len(ids), "signals": written, "deleted": deleted}


@dataclass(frozen=True)
class PageSignal:
    buyer: str
    product_id: int
    kind: int
    weight: float = 1.0
    variant_id: int | None = None


def signal_record(*, signal: PageSignal, day: date | None = None) -> None:
    """Adds a view, cart add or rating of one buyer to today's row (one row per buyer, product,
    kind and day: a hundred views are one row with weight 100). A rating replaces the day's."""
    if signal.kind not in PAGE_KINDS:
        raise ValueError(f"signal kind {signal.kind} is not recorded by pages; use the orders")
    if not signal.buyer or not consent.allowed(signal.buyer, PERSONALISATION):
        return  # no consent to personalisation: the page view is not kept about this person
    day = day or clock.now().date()
    key = {"buyer": signal.buyer, "product_id": signal.product_id, "kind": signal.kind}
    with transaction.atomic():
        rows = Signal.objects.filter(**key, day=day, ref="")
        if signal.kind == Signal.Kind.RATING:
            changed = rows.update(weight=signal.weight)
        else:
            changed = rows.update(weight=F("weight") + signal.weight)
        if changed:
            return
        try:
            with transaction.atomic():
                Signal.objects.create(
                    **key, day=day, ref="", weight=signal.weight, variant_id=signal.variant_id
                )
        except IntegrityError:  # another request created today's row a moment ago
            rows.update(weight=F("weight") + signal.weight)


def not_interested_add(*, buyer: str, product_id: int) -> bool:
    """Records that ``buyer`` does not want ``product_id`` shown again; serving excludes it
    from the next list on (no retraining needed). False when it was recorded already."""
    if not buyer:
        raise ValueError("a buyer is needed to remember 'not interested'")
    with transaction.atomic():
        if Signal.objects.filter(
            buyer=buyer, product_id=product_id, kind=Signal.Kind.NOT_INTERESTED
        ).exists():
            return False
        Signal.objects.create(
            buyer=buyer,
            product_id=product_id,
            kind=Signal.Kind.NOT_INTERESTED,
            weight=1.0,
            day=clock.now().date(),
            ref="",
        )
    return True


def not_interested_product_ids(*, buyer: str) -> set[int]:
    """What ``buyer`` said not to show (one indexed query per list served)."""
    return set(
        Signal.objects.filter(buyer=buyer, kind=Signal.Kind.NOT_INTERESTED).values_list(
            "product_id", flat=True
        )
    )


def product_viewed(*, user_id: int | None, product_public_id: str) -> None:
    """The product page's signal: a signed-in buyer looked at a product (guests are not
    profiled, so nothing is recorded for them)."""
    _page_signal(user_id=user_id, product_public_id=product_public_id, kind=Signal.Kind.VIEW)


def product_added_to_cart(*, user_id: int | None, product_id: int, units: int) -> None:
    """The cart's signal: a signed-in buyer put ``units`` of a product in their cart."""
    if user_id is not None:
        signal_record(
            signal=PageSignal(
                buyer_key(user_id=user_id), product_id, Signal.Kind.CART_ADD, float(units)
            )
        )


def _page_signal(
    *, user_id: int | None, product_public_id: str, kind: int, weight: float = 1.0
) -> None:
    if user_id is None:
        return
    from agora.catalog.models import Product

    product_id = (
        Product.objects.filter(public_id=product_public_id).values_list("pk", flat=True).first()
    )
    if product_id is not None:
        signal_record(signal=PageSignal(buyer_key(user_id=user_id), product_id, kind, weight))
