"""The shipment state machine, as plain data so it can be tested without a database.

pending → packed → shipped → in_transit → out_for_delivery → delivered, with ``exception`` (a
carrier problem) from any moving state and back into it, and ``returned_to_sender`` as the other
end. A carrier may report ``in_transit`` or ``exception`` again (another scan, another hub): the
table allows those two to follow themselves, and each report is a ShipmentEvent.
"""

from __future__ import annotations

from enum import StrEnum


class ShipmentState(StrEnum):
    PENDING = "pending"
    PACKED = "packed"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"


_S = ShipmentState
_MOVING_ON = frozenset(
    {_S.IN_TRANSIT, _S.OUT_FOR_DELIVERY, _S.DELIVERED, _S.EXCEPTION, _S.RETURNED_TO_SENDER}
)
TRANSITIONS: dict[ShipmentState, frozenset[ShipmentState]] = {
    _S.PENDING: frozenset({_S.PACKED, _S.SHIPPED}),
    _S.PACKED: frozenset({_S.SHIPPED}),
    _S.SHIPPED: _MOVING_ON,
    _S.IN_TRANSIT: _MOVING_ON,
    _S.OUT_FOR_DELIVERY: frozenset(
        {_S.IN_TRANSIT, _S.DELIVERED, _S.EXCEPTION, _S.RETURNED_TO_SENDER}
    ),
    _S.EXCEPTION: _MOVING_ON,
    _S.DELIVERED: frozenset(),
    _S.RETURNED_TO_SENDER: frozenset(),
}


def shipment_refusal(current: ShipmentState, target: ShipmentState) -> str | None:
    """Why ``current → target`` is refused, or None when it is allowed."""
    if target in TRANSITIONS[current]:
        return None
    names = ", ".join(sorted(TRANSITIONS[current])) or "none: it is final"
    return f"it is {current}; it cannot become {target} (allowed next: {names})"
