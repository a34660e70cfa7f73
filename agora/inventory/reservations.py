"""Use cases of reservations: units held for a checkout until it is paid, given up or too old.

A checkout calls, in this order: :func:`stock_reserve` when it starts (all items or none),
then :func:`reservations_convert` when the payment succeeds, or :func:`reservation_release`
when it is abandoned, declined or compensated. The scheduler calls :func:`reservations_expire`.
All are keyed by the checkout's ``reference`` so a retry or a crash sweep can repeat them.

**Lock rule** (the same for every inventory service): a transaction locks the ``StockLevel`` rows
it needs ``FOR UPDATE`` in ascending primary-key order, and only *then* the ``Reservation`` rows
it changes, also in ascending primary-key order. Every transaction takes its locks in this one
global order, so two of them can never each hold a lock the other waits for: two checkouts (or
a checkout and the expiry sweep) never deadlock, they queue. Which rows to lock is learnt from
an unlocked read first; after locking, the rows are read again, and anything that changed in
between is either re-checked (state) or makes the transaction start again (:class:`_Raced`).
Quantities are then computed in memory and written back with one bulk statement per table.
On SQLite ``select_for_update`` is a no-op; ``IMMEDIATE`` transactions serialise writers there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from agora.catalog.models import Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.core.errors import NOT_FOUND, AgoraError, FieldError, invalid
from agora.inventory import errors, inputs
from agora.inventory.allocation import NotEnoughStock, ShipTo, Source, allocate
from agora.inventory.events import publish_if_low, publish_stock_changed
from agora.inventory.models import Reservation, StockLevel, StockMovement
from agora.inventory.selectors import available_by_variant
from agora.marketplace.models import Seller

DEFAULT_TTL = timedelta(minutes=15)
_ATTEMPTS = 3
State = Reservation.State


class _Raced(Exception):
    """The reference gained reservations of other variants between the first read and the lock."""


def stock_reserve(
    *,
    actor: Actor,
    reference: str,
    items: Sequence[tuple[int, int]],
    ship_to: ShipTo | tuple[str, float | None, float | None] | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> list[Reservation]:
    """Holds ``items`` (``(variant pk, quantity)``; repeated variants are added up) for the
    checkout ``reference`` until ``ttl`` from now, all or nothing.

    Locations are chosen by :func:`agora.inventory.allocation.allocate` (nearest to ``ship_to``
    that can ship the whole line, split only when none can); the rule and reason are stored on
    each reservation. When some item cannot be held, nothing is and ``out-of-stock`` names every
    short variant with its SKU and the units available.

    Idempotent by ``reference``: when the reference already holds exactly these quantities, the
    existing reservations are returned unchanged (same locations, same expiry: a retried request
    must not move stock around). When it holds other quantities, they are replaced in the same
    transaction (the old ones released, the new ones reserved; on refusal the old ones stay). A
    reference already converted into orders is refused with ``reservation-closed``.
    """
    reference = inputs.reference(reference)
    wanted = inputs.wanted(items)
    ttl = inputs.ttl(ttl)
    destination = inputs.ship_to(ship_to)
    variants = Variant.objects.select_related("product", "seller").in_bulk(list(wanted))
    for index, variant_id in enumerate(wanted):
        variant = variants.get(variant_id)
        if variant is None or not _may_hold(actor, variant.seller_id):
            raise AgoraError(
                NOT_FOUND,
                f"variant {variant_id!r} does not exist",
                [FieldError(f"items[{index}].variant_id", "no such variant")],
            )
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return _reserve(reference, wanted, variants, destination, clock.now() + ttl)
        except _Raced:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def stock_precheck(*, items: Sequence[tuple[int, int]]) -> None:
    """Refuses, without taking any lock or writing anything, items that cannot be held even
    now: the same ``out-of-stock`` answer :func:`stock_reserve` would give.

    In a sell-out most buyers lose; without this each loser would do the whole placing
    transaction (orders, intent, audit, events) only to roll it back at the reservation, and on
    SQLite hold the single write lock while doing so. The figures read here may be a moment
    old, so passing this check promises nothing: the locked reservation still decides."""
    wanted = inputs.wanted(items)
    available = available_by_variant(variant_ids=list(wanted))
    short = [
        (index, variant_id, NotEnoughStock(quantity, max(available.get(variant_id, 0), 0)))
        for index, (variant_id, quantity) in enumerate(wanted.items())
        if available.get(variant_id, 0) < quantity
    ]
    if short:
        variants = Variant.objects.in_bulk([variant_id for _, variant_id, _ in short])
        raise inputs.out_of_stock([(i, variants[v], s) for i, v, s in short])


def _reserve(
    reference: str,
    wanted: dict[int, int],
    variants: dict[int, Variant],
    ship_to: ShipTo | None,
    expires_at: datetime,
) -> list[Reservation]:
    holding = Q(reference=reference, state__in=[State.ACTIVE, State.CONVERTED])
    peeked = set(Reservation.objects.filter(holding).values_list("variant_id", flat=True))
    variant_ids = sorted(set(wanted) | peeked)
    # Lock rule (module docstring): every level of every variant involved, by primary key, then
    # the reference's reservations, by primary key. All levels of a variant, because allocation
    # compares every location and the low-stock alert sums them.
    levels = list(
        StockLevel.objects.select_for_update(of=("self",))
        .select_related("location")
        .filter(variant_id__in=variant_ids)
        .order_by("pk")
    )
    held = list(Reservation.objects.select_for_update().filter(holding).order_by("pk"))
    if {r.variant_id for r in held} - set(variant_ids):
        raise _Raced
    others = set(variant_ids) - set(variants)  # held variants this request no longer wants
    variants = {**variants, **Variant.objects.select_related("product", "seller").in_bulk(others)}
    converted = sorted({r.order_reference for r in held if r.state == State.CONVERTED})
    if converted:
        raise AgoraError(
            errors.RESERVATION_CLOSED,
            f"reference {reference!r} was already turned into order(s) {', '.join(converted)}; "
            "a new checkout needs a new reference",
        )
    if held and _totals(held) == wanted:
        return held

    by_key = {(level.variant_id, level.location_id): level for level in levels}
    reserved_before = {level.pk: level.reserved for level in levels}
    available_before = _open_available(levels)
    for reservation in held:
        by_key[(reservation.variant_id, reservation.location_id)].reserved -= reservation.quantity

    decisions, shortages = {}, []
    for index, (variant_id, quantity) in enumerate(wanted.items()):
        sources = [_source(level) for level in levels if level.variant_id == variant_id]
        try:
            decisions[variant_id] = allocate(sources, quantity, ship_to)
        except NotEnoughStock as short:
            shortages.append((index, variants[variant_id], short))
    if shortages:
        raise inputs.out_of_stock(shortages)

    now = clock.now()
    created = []
    for variant_id, decision in decisions.items():
        for pick in decision.picks:
            level = by_key[(variant_id, pick.location_id)]
            level.reserved += pick.quantity
            created.append(
                Reservation(
                    reference=reference,
                    variant_id=variant_id,
                    location_id=pick.location_id,
                    seller_id=level.seller_id,
                    quantity=pick.quantity,
                    rule=decision.rule,
                    reason=decision.reason[:500],
                    created_at=now,
                    expires_at=expires_at,
                )
            )
    changed = [level for level in levels if level.reserved != reserved_before[level.pk]]
    for level in changed:
        level.updated_at = now
    StockLevel.objects.bulk_update(changed, ["reserved", "updated_at"])
    if held:
        Reservation.objects.filter(pk__in=[r.pk for r in held]).update(
            state=State.RELEASED, closed_at=now
        )
    created = Reservation.objects.bulk_create(created)
    for level in changed:
        kind = "reserved" if level.reserved > reserved_before[level.pk] else "released"
        publish_stock_changed(level=level, variant=variants[level.variant_id], delta=0, kind=kind)
    available_after = _open_available(levels)
    for variant_id in wanted:
        publish_if_low(
            variant=variants[variant_id],
            before=available_before.get(variant_id, 0),
            after=available_after.get(variant_id, 0),
        )
    return created


def reservation_release(*, actor: Actor, reference: str) -> list[Reservation]:
    """Gives the units held for ``reference`` back (checkout abandoned, payment declined, a
    compensation after a crash). Idempotent: when nothing is held, returns ``[]``."""
    reference = inputs.reference(reference)
    with transaction.atomic():
        levels, active = _locked(Q(reference=reference, state=State.ACTIVE))
        _require_may_hold(actor, active)
        _close(levels, active, State.RELEASED)
    return active


def reservations_convert(
    *, actor: Actor, reference: str, order_references: Mapping[int, str]
) -> list[Reservation]:
    """Turns what ``reference`` holds into sales when its orders are paid: on-hand and reserved
    both go down, and a ``sale`` movement per reservation (referencing the order) keeps the
    ledger explaining on-hand. ``order_references`` maps each seller's pk to the public id of
    that seller's order (checkout makes one order per seller).

    A reservation past its expiry that the sweep has not reached yet still holds its units, so it
    is converted. Idempotent: converting again with the same orders returns the converted
    reservations; when they were released or expired, ``reservation-closed`` is raised (the
    checkout must reserve again or refund).
    """
    reference = inputs.reference(reference)
    with transaction.atomic():
        levels, active = _locked(Q(reference=reference, state=State.ACTIVE))
        if not active:
            return _converted_already(reference, order_references)
        _require_may_hold(actor, active)
        missing = {r.seller_id for r in active} - set(order_references)
        if missing:
            sellers = Seller.objects.filter(pk__in=missing).values_list("public_id", flat=True)
            raise invalid("order_references", f"no order given for seller(s) {sorted(sellers)}")
        for reservation in active:
            order_reference = str(order_references[reservation.seller_id]).strip()[:100]
            if not order_reference:
                raise invalid("order_references", "an order reference is empty")
            reservation.order_reference = order_reference
        _close(levels, active, State.CONVERTED)
    return active


def reservations_expire(*, batch: int = 500) -> int:
    """Releases every active reservation whose expiry has passed; the scheduler runs it. Works
    in batches of ``batch``, one transaction each, and returns how many expired."""
    total = 0
    while True:
        with transaction.atomic():
            due = Q(state=State.ACTIVE, expires_at__lte=clock.now())
            levels, active = _locked(due, limit=batch)
            _close(levels, active, State.EXPIRED)
        total += len(active)
        if not levels:
            return total


def _locked(
    which: Q, *, limit: int | None = None
) -> tuple[dict[tuple[int, int], StockLevel], list[Reservation]]:
    """Locks, by the module's lock rule, the reservations matching ``which`` and their levels.

    Returns the levels by (variant, location) and the reservations still matching once locked
    (another transaction may have closed some meanwhile). The levels are empty when the first
    read found nothing."""
    peek = Reservation.objects.filter(which).order_by("pk")
    rows = list((peek[:limit] if limit else peek).values_list("pk", "variant_id", "location_id"))
    if not rows:
        return {}, []
    levels = (
        StockLevel.objects.select_for_update(of=("self",))
        .select_related("location")
        .filter(variant_id__in={v for _, v, _ in rows}, location_id__in={loc for *_, loc in rows})
        .order_by("pk")
    )
    by_key = {(level.variant_id, level.location_id): level for level in levels}
    reservations = list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("variant__product", "variant__seller")
        .filter(which, pk__in=[pk for pk, *_ in rows])
        .order_by("pk")
    )
    return by_key, reservations


def _close(
    levels: dict[tuple[int, int], StockLevel], reservations: list[Reservation], state: str
) -> None:
    """Moves ``reservations`` to ``state`` and gives their units back to the levels (a
    conversion also takes them off on-hand, with a sale movement each)."""
    if not reservations:
        return
    now = clock.now()
    sale = state == State.CONVERTED
    touched: dict[int, tuple[StockLevel, Variant, int]] = {}
    movements = []
    for reservation in reservations:
        level = levels[(reservation.variant_id, reservation.location_id)]
        level.reserved -= reservation.quantity
        if sale:
            level.on_hand -= reservation.quantity
            movements.append(
                StockMovement(
                    location_id=reservation.location_id,
                    variant_id=reservation.variant_id,
                    kind=StockMovement.Kind.SALE,
                    quantity=-reservation.quantity,
                    reference=reservation.order_reference,
                    note=f"reservation {reservation.public_id}",
                    at=now,
                )
            )
        level.updated_at = now
        reservation.state, reservation.closed_at = state, now
        _, _, delta = touched.get(level.pk, (level, reservation.variant, 0))
        touched[level.pk] = (level, reservation.variant, delta - (reservation.quantity * sale))
    StockLevel.objects.bulk_update(
        [level for level, _, _ in touched.values()], ["on_hand", "reserved", "updated_at"]
    )
    Reservation.objects.bulk_update(reservations, ["state", "order_reference", "closed_at"])
    StockMovement.objects.bulk_create(movements)
    kind = StockMovement.Kind.SALE if sale else str(state)
    for level, variant, delta in touched.values():
        publish_stock_changed(level=level, variant=variant, delta=delta, kind=kind)


def _converted_already(reference: str, order_references: Mapping[int, str]) -> list[Reservation]:
    rows = list(Reservation.objects.filter(reference=reference).order_by("-closed_at", "-pk"))
    converted = [r for r in rows if r.state == State.CONVERTED]
    if converted and all(
        str(order_references.get(r.seller_id, "")).strip() == r.order_reference for r in converted
    ):
        return sorted(converted, key=lambda r: r.pk)
    if not rows:
        raise AgoraError(NOT_FOUND, f"no reservations for reference {reference!r}")
    last = rows[0]
    what = (
        f"converted into order {last.order_reference}"
        if last.state == State.CONVERTED
        else f"{last.state} at {last.closed_at:%Y-%m-%d %H:%M:%S} UTC"
    )
    raise AgoraError(
        errors.RESERVATION_CLOSED,
        f"the reservations for reference {reference!r} are no longer held: {what}",
    )


def _source(level: StockLevel) -> Source:
    location = level.location
    return Source(
        location_id=level.location_id,
        name=location.name,
        available=level.on_hand - level.reserved,
        country=location.country,
        latitude=None if location.latitude is None else float(location.latitude),
        longitude=None if location.longitude is None else float(location.longitude),
        is_available=location.is_available,
    )


def _open_available(levels: Iterable[StockLevel]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for level in levels:
        if level.location.is_available:
            totals[level.variant_id] = totals.get(level.variant_id, 0) + level.available
    return totals


def _totals(reservations: Iterable[Reservation]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for reservation in reservations:
        totals[reservation.variant_id] = (
            totals.get(reservation.variant_id, 0) + reservation.quantity
        )
    return totals


def _may_hold(actor: Actor, seller_id: int) -> bool:
    """Buyers (users), the platform (system) and apps hold any seller's stock through checkout;
    a seller's own API key holds only that seller's stock (e.g. a till or a phone order)."""
    if actor.kind != "api_key" or actor.seller_id is None:
        return True
    return actor.seller_id == seller_id and actor.can("inventory:write")


def _require_may_hold(actor: Actor, reservations: list[Reservation]) -> None:
    for reservation in reservations:
        if not _may_hold(actor, reservation.seller_id):
            raise AgoraError(NOT_FOUND, f"no reservations for reference {reservation.reference!r}")
