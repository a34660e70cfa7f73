"""fulfillment.states: every shipment transition, legal and illegal."""

from __future__ import annotations

import itertools

import pytest

from agora.fulfillment.states import TRANSITIONS, ShipmentState, shipment_refusal

S = ShipmentState
MOVING = {S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION, S.RETURNED_TO_SENDER}
LEGAL = (
    {(S.PENDING, S.PACKED), (S.PENDING, S.SHIPPED), (S.PACKED, S.SHIPPED)}
    | {(S.SHIPPED, t) for t in MOVING}
    | {(S.IN_TRANSIT, t) for t in MOVING}
    | {(S.EXCEPTION, t) for t in MOVING}
    | {(S.OUT_FOR_DELIVERY, t) for t in MOVING - {S.OUT_FOR_DELIVERY}}
)


def test_the_table_is_the_documented_one():
    assert {(a, b) for a, bs in TRANSITIONS.items() for b in bs} == LEGAL
    assert not TRANSITIONS[S.DELIVERED] and not TRANSITIONS[S.RETURNED_TO_SENDER]


@pytest.mark.parametrize("current,target", list(itertools.product(ShipmentState, ShipmentState)))
def test_every_pair(current, target):
    refusal = shipment_refusal(current, target)
    if (current, target) in LEGAL:
        assert refusal is None
    else:
        assert refusal is not None and f"it is {current}" in refusal
        assert all(str(t) in refusal for t in TRANSITIONS[current])
