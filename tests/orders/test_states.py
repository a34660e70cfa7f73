"""orders.states: the whole transition table, legal and illegal, without a database."""

from __future__ import annotations

import itertools

import pytest

from agora.orders.states import (
    ORDER_TRANSITIONS,
    RETURN_TRANSITIONS,
    OrderState,
    ReturnState,
    after_shipping,
    order_refusal,
    return_refusal,
)

S = OrderState
LEGAL = {
    (S.PLACED, S.PAID),
    (S.PLACED, S.CANCELLED),
    (S.PAID, S.PARTIALLY_FULFILLED),
    (S.PAID, S.FULFILLED),
    (S.PAID, S.CANCELLED),
    (S.PARTIALLY_FULFILLED, S.FULFILLED),
    (S.FULFILLED, S.DELIVERED),
    (S.DELIVERED, S.COMPLETED),
    (S.DELIVERED, S.REFUNDED),
    (S.COMPLETED, S.REFUNDED),
}
NEEDS_FULL_REFUND = {(S.PAID, S.CANCELLED), (S.DELIVERED, S.REFUNDED), (S.COMPLETED, S.REFUNDED)}


def test_the_table_is_exactly_the_documented_one():
    table = {(a, b) for a, targets in ORDER_TRANSITIONS.items() for b in targets}
    assert table == LEGAL
    assert set(ORDER_TRANSITIONS) == set(OrderState)


@pytest.mark.parametrize("current,target", list(itertools.product(OrderState, OrderState)))
def test_every_pair_is_allowed_or_refused_with_the_allowed_next_states(current, target):
    refusal = order_refusal(current, target, fully_refunded=True)
    if (current, target) in LEGAL:
        assert refusal is None
    else:
        assert refusal is not None
        assert f"it is {current}" in refusal and str(target) in refusal
        for allowed in ORDER_TRANSITIONS[current]:
            assert str(allowed) in refusal
        if not ORDER_TRANSITIONS[current]:
            assert "final" in refusal


@pytest.mark.parametrize("current,target", sorted(NEEDS_FULL_REFUND))
def test_cancel_after_payment_and_refunded_need_the_whole_refund(current, target):
    refusal = order_refusal(current, target, fully_refunded=False)
    assert refusal is not None and "not fully refunded" in refusal
    assert order_refusal(current, target, fully_refunded=True) is None


def test_placed_orders_cancel_without_any_refund():
    assert order_refusal(S.PLACED, S.CANCELLED, fully_refunded=False) is None


def test_shipping_leaves_an_order_fulfilled_only_when_nothing_is_open():
    assert after_shipping(open_units=0) == S.FULFILLED
    assert after_shipping(open_units=3) == S.PARTIALLY_FULFILLED


R = ReturnState
RETURN_LEGAL = {
    (R.REQUESTED, R.APPROVED),
    (R.REQUESTED, R.REJECTED),
    (R.APPROVED, R.RECEIVED),
    (R.RECEIVED, R.REFUNDED),
}


@pytest.mark.parametrize("current,target", list(itertools.product(ReturnState, ReturnState)))
def test_every_return_pair(current, target):
    assert {(a, b) for a, bs in RETURN_TRANSITIONS.items() for b in bs} == RETURN_LEGAL
    refusal = return_refusal(current, target)
    assert (refusal is None) == ((current, target) in RETURN_LEGAL)


def test_the_models_choices_are_the_state_machines_states():
    from agora.orders.models import Order, OrderReturn

    assert set(Order.Status.values) == {s.value for s in OrderState}
    assert set(OrderReturn.Status.values) == {s.value for s in ReturnState}
