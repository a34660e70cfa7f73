"""Use cases of fulfilment: carriers, shipments of an order's lines, and their status updates.

Fulfilment sits beside orders in L3 and changes an order only through orders' services
(``order_lines_ship``, ``order_mark_delivered``). Lock rule: the order row first (through
``order_lock``), then the shipment, so two shipments of one order being created or delivered at
the same time queue, and the last delivery always sees all the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import (
    CONFLICT,
    FORBIDDEN,
    INVALID_TRANSITION,
    AgoraError,
    FieldError,
    invalid,
    not_found,
)
from agora.core.events import publish
from agora.core.ids import new_public_id
from agora.fulfillment import errors
from agora.fulfillment.events import ShipmentUpdated
from agora.fulfillment.models import Carrier, Shipment, ShipmentEvent, ShipmentLine
from agora.fulfillment.states import ShipmentState, shipment_refusal
from agora.inventory.models import StockLocation
from agora.marketplace.permissions import require_seller_access
from agora.orders.delivery import order_lines_ship, order_lock, order_mark_delivered
from agora.orders.models import Order
from agora.orders.states import OrderState
from agora.orders.transitions import line_quantities


@dataclass(frozen=True, slots=True)
class ShipmentLineDraft:
    line_no: int  # the order line's number
    quantity: int


def carrier_create(
    *, actor: Actor, code: str, name: str, tracking_url_template: str = ""
) -> Carrier:
    """Adds a carrier sellers can ship with (operators only)."""
    if not (actor.kind == "system" or actor.is_operator):
        raise AgoraError(FORBIDDEN, f"{actor.label} may not configure carriers")
    code, name = (code or "").strip().lower(), (name or "").strip()
    if not code or len(code) > 30 or not code.replace("-", "").replace("_", "").isalnum():
        raise invalid("code", "must be 1 to 30 letters, digits, '-' or '_'")
    if not name or len(name) > 100:
        raise invalid("name", "must be 1 to 100 characters")
    template = (tracking_url_template or "").strip()
    if template and ("{tracking_number}" not in template or len(template) > 300):
        raise invalid("tracking_url_template", "must contain {tracking_number}, ≤ 300 characters")
    try:
        with transaction.atomic():
            carrier = Carrier.objects.create(code=code, name=name, tracking_url_template=template)
            audit_record(
                actor=actor, action="carrier.created", target=carrier, changes={"code": code}
            )
    except IntegrityError as exc:
        raise AgoraError(
            CONFLICT, f"carrier {code!r} exists", [FieldError("code", "taken")]
        ) from exc
    return carrier


def shipment_create(
    *,
    actor: Actor,
    order: Order,
    location: StockLocation,
    lines: Sequence[ShipmentLineDraft],
    carrier: Carrier | None = None,
    tracking_number: str = "",
) -> Shipment:
    """Puts units of the order's lines into a shipment from one of the seller's locations.

    Never more than ordered minus already shipped (orders refuses it); the order becomes
    partially_fulfilled or fulfilled and ``order.shipped`` is published, in this transaction.
    """
    require_seller_access(actor, order.seller, "orders:write")
    if location.seller_id != order.seller_id:
        raise not_found("stock location", location.public_id)
    if carrier is not None and not carrier.is_active:
        raise AgoraError(errors.CARRIER_UNKNOWN, f"carrier {carrier.code!r} is switched off")
    tracking_number = (tracking_number or "").strip()
    if len(tracking_number) > 64:
        raise invalid("tracking_number", "must be at most 64 characters")
    wanted = line_quantities(lines)
    public_id = new_public_id("shp")
    with transaction.atomic():
        order = order_lines_ship(
            actor=actor,
            order=order,
            quantities=wanted,
            shipment_id=public_id,
            carrier=carrier.code if carrier else "",
            tracking_number=tracking_number,
        )
        now = clock.now()
        shipment = Shipment.objects.create(
            public_id=public_id,
            seller_id=order.seller_id,
            order=order,
            location=location,
            carrier=carrier,
            tracking_number=tracking_number,
            status=ShipmentState.PENDING,
            created_at=now,
            status_changed_at=now,
        )
        line_ids = dict(order.lines.filter(line_no__in=wanted).values_list("line_no", "pk"))
        ShipmentLine.objects.bulk_create(
            ShipmentLine(shipment=shipment, order_line_id=line_ids[n], quantity=q)
            for n, q in sorted(wanted.items())
        )
        ShipmentEvent.objects.create(
            shipment=shipment, status=shipment.status, note="created", at=now, recorded_at=now
        )
        audit_record(
            actor=actor,
            action="shipment.created",
            target=shipment,
            seller_id=order.seller_id,
            changes={"order": order.public_id, "lines": wanted, "location": location.public_id},
        )
    return shipment


def shipment_update(
    *,
    actor: Actor,
    shipment: Shipment,
    status: str,
    note: str = "",
    at: datetime | None = None,
) -> Shipment:
    """Records a status report (from the seller or a carrier integration) and publishes
    ``shipment.updated``. When the shipment is delivered and so is every other shipment of an
    order with nothing left to ship, the order becomes delivered (``order.delivered``)."""
    try:
        target = ShipmentState(status)
    except ValueError as exc:
        values = ", ".join(s.value for s in ShipmentState)
        raise invalid("status", f"{status!r} is not one of {values}") from exc
    note = (note or "").strip()
    if len(note) > 300:
        raise invalid("note", "must be at most 300 characters")
    if at is not None and at.tzinfo is None:
        raise invalid("at", "must carry a time zone (e.g. 2026-01-31T10:00:00Z)")
    with transaction.atomic():
        order = order_lock(order=shipment.order)
        require_seller_access(actor, order.seller, "orders:write")
        shipment = (
            Shipment.objects.select_for_update(of=("self",))
            .select_related("carrier")
            .get(pk=shipment.pk)
        )
        current = ShipmentState(shipment.status)
        refusal = shipment_refusal(current, target)
        if refusal:
            raise AgoraError(INVALID_TRANSITION, f"shipment {shipment.public_id}: {refusal}")
        now = clock.now()
        moment = at or now
        ShipmentEvent.objects.create(
            shipment=shipment, status=target, note=note, at=moment, recorded_at=now
        )
        shipment.status, shipment.status_changed_at = target, now
        if target == ShipmentState.DELIVERED:
            shipment.delivered_at = moment
        shipment.save(update_fields=["status", "status_changed_at", "delivered_at"])
        audit_record(
            actor=actor,
            action="shipment.updated",
            target=shipment,
            seller_id=order.seller_id,
            changes={"status": [current, target], "note": note},
        )
        publish(
            ShipmentUpdated(
                shipment_id=shipment.public_id,
                order_id=order.public_id,
                seller_id=order.seller.public_id,
                status=target,
                previous_status=current,
                note=note,
                at=moment.isoformat(),
                carrier=shipment.carrier.code if shipment.carrier else "",
                tracking_number=shipment.tracking_number,
                tracking_url=shipment.tracking_url,
            )
        )
        if target == ShipmentState.DELIVERED:
            _deliver_order_when_complete(actor, order)
    return shipment


def shipment_mark_delivered(
    *, actor: Actor, shipment: Shipment, note: str = "", at: datetime | None = None
) -> Shipment:
    """Delivery confirmation (proof of delivery, a carrier scan): :func:`shipment_update` to
    ``delivered``."""
    return shipment_update(
        actor=actor, shipment=shipment, status=ShipmentState.DELIVERED, note=note, at=at
    )


def _deliver_order_when_complete(actor: Actor, order: Order) -> None:
    """The order (locked by the caller) is delivered when nothing is left to ship and every one
    of its shipments is delivered; the last delivery's time is the order's."""
    if order.status != OrderState.FULFILLED:
        return  # units still to ship (partially_fulfilled), or already delivered/refunded
    shipments = Shipment.objects.filter(order=order)
    if shipments.exclude(status=ShipmentState.DELIVERED).exists():
        return
    last = max(s for s in shipments.values_list("delivered_at", flat=True) if s is not None)
    order_mark_delivered(actor=actor, order=order, at=last)
