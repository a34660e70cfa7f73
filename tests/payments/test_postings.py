"""The pure posting rules, without a database: balance, rounding, refund limits, and the refund
after release rule (the seller keeps exactly what it would have had for the smaller sale)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agora.payments.postings import (
    BUYER_REFUNDS,
    ESCROW,
    PLATFORM_COMMISSION,
    PROVIDER_CLEARING,
    SELLER_PAYABLE,
    AccountKey,
    NothingToMove,
    OrderPosition,
    Posting,
    RefundTooLarge,
    Unbalanced,
    capture_postings,
    check_balanced,
    commission_minor,
    payout_postings,
    position_after,
    refund_postings,
    release_postings,
)

ORDER, SELLER = "ord_1", "sel_1"
amounts = st.integers(min_value=1, max_value=10**10)
bps = st.integers(min_value=0, max_value=10_000)
currencies = st.sampled_from(["EUR", "JPY", "KWD", "GBP"])


def _sums(postings: list[Posting]) -> dict[str, int]:
    sums: dict[str, int] = {}
    for p in postings:
        sums[p.currency] = sums.get(p.currency, 0) + p.amount_minor
    return sums


def test_account_codes():
    assert AccountKey(ESCROW, "ord_1", "EUR").code == "escrow:ord_1:EUR"
    assert AccountKey(PLATFORM_COMMISSION, "", "EUR").code == "platform_commission:EUR"
    with pytest.raises(ValueError, match="not one of"):
        AccountKey("cash", "", "EUR")


def test_check_balanced_refuses_unbalanced_zero_and_single_entries():
    a, b = AccountKey(ESCROW, "o", "EUR"), AccountKey(PROVIDER_CLEARING, "test", "EUR")
    with pytest.raises(Unbalanced, match="sum to zero"):
        check_balanced([Posting(a, 5), Posting(b, -4)])
    with pytest.raises(Unbalanced, match="zero entry"):
        check_balanced([Posting(a, 0), Posting(b, 0)])
    with pytest.raises(Unbalanced, match="at least two"):
        check_balanced([Posting(a, 5)])
    usd = AccountKey(ESCROW, "o", "USD")
    with pytest.raises(Unbalanced, match="per currency"):  # +5 EUR -5 USD is not balanced
        check_balanced([Posting(a, 5), Posting(usd, -5)])


def test_commission_rounds_half_even_once():
    assert commission_minor(25, 1000, "EUR") == 2  # 2.5 -> 2 (even)
    assert commission_minor(35, 1000, "EUR") == 4  # 3.5 -> 4 (even)
    assert commission_minor(1999, 1250, "EUR") == 250  # 249.875 -> 250
    assert commission_minor(100, 0, "EUR") == 0
    assert commission_minor(100, 10_000, "EUR") == 100
    with pytest.raises(ValueError, match="outside"):
        commission_minor(100, 10_001, "EUR")


@given(amount=amounts, currency=currencies)
def test_capture_moves_money_into_escrow(amount, currency):
    postings = capture_postings(
        order_ref=ORDER, amount_minor=amount, currency=currency, provider="test"
    )
    assert _sums(postings) == {currency: 0}
    assert {p.account.kind: p.amount_minor for p in postings} == {
        PROVIDER_CLEARING: -amount,
        ESCROW: amount,
    }


@given(amount=amounts, rate=bps, currency=currencies)
def test_release_split_sums_exactly(amount, rate, currency):
    postings = release_postings(
        order_ref=ORDER,
        seller_ref=SELLER,
        escrow_minor=amount,
        commission_bps=rate,
        currency=currency,
    )
    by_kind = {p.account.kind: p.amount_minor for p in postings}
    commission = commission_minor(amount, rate, currency)
    assert by_kind[ESCROW] == -amount
    assert by_kind.get(PLATFORM_COMMISSION, 0) == commission
    assert by_kind.get(SELLER_PAYABLE, 0) == amount - commission
    assert _sums(postings) == {currency: 0}


def test_nothing_to_move_is_refused():
    with pytest.raises(NothingToMove):
        capture_postings(order_ref=ORDER, amount_minor=0, currency="EUR", provider="test")
    with pytest.raises(NothingToMove):
        payout_postings(seller_ref=SELLER, payable_minor=-5, currency="EUR")


def _captured(amount: int) -> OrderPosition:
    start = OrderPosition(order_ref=ORDER, seller_ref=SELLER, currency="EUR")
    return position_after(
        start,
        capture_postings(order_ref=ORDER, amount_minor=amount, currency="EUR", provider="test"),
    )


def _released(position: OrderPosition, rate: int) -> OrderPosition:
    position = OrderPosition(**{**_fields(position), "commission_bps": rate})
    return position_after(
        position,
        release_postings(
            order_ref=ORDER,
            seller_ref=SELLER,
            escrow_minor=position.escrow_minor,
            commission_bps=rate,
            currency="EUR",
        ),
    )


def _fields(position: OrderPosition) -> dict:
    return {name: getattr(position, name) for name in OrderPosition.__slots__}


def test_refund_larger_than_paid_is_refused():
    position = _captured(1000)
    position = position_after(
        position, refund_postings(position=position, amount_minor=600, provider="test")
    )
    with pytest.raises(RefundTooLarge, match="more than"):
        refund_postings(position=position, amount_minor=401, provider="test")


@settings(max_examples=200)
@given(
    paid=st.integers(min_value=1, max_value=10**9),
    rate=bps,
    before=st.lists(st.integers(min_value=1, max_value=10**8), max_size=3),
    after=st.lists(st.integers(min_value=1, max_value=10**8), max_size=3),
)
def test_refunds_before_and_after_release_keep_the_seller_exact(paid, rate, before, after):
    """Whatever the refunds, the seller keeps (paid - refunded) less its commission, rounded once,
    and the platform the commission on exactly that; buyer_refunds never passes what was paid."""
    position = _captured(paid)
    for amount in before:
        if amount <= position.refundable_minor:
            postings = refund_postings(position=position, amount_minor=amount, provider="test")
            assert _sums(postings) == {"EUR": 0}
            position = position_after(position, postings)
    if position.escrow_minor:
        position = _released(position, rate)
    for amount in after:
        if amount <= position.refundable_minor:
            postings = refund_postings(position=position, amount_minor=amount, provider="test")
            assert _sums(postings) == {"EUR": 0}
            assert all(p.amount_minor > 0 for p in postings if p.account.kind == BUYER_REFUNDS)
            position = position_after(position, postings)
    kept = paid - position.refunded_minor
    assert position.escrow_minor == 0
    assert position.released_minor == kept
    assert position.commission_minor == commission_minor(kept, rate, "EUR")
    assert 0 <= position.refunded_minor <= paid


def test_payout_moves_payable_to_paid_out():
    postings = payout_postings(seller_ref=SELLER, payable_minor=700, currency="EUR")
    assert [(p.account.code, p.amount_minor) for p in postings] == [
        ("seller_payable:sel_1:EUR", -700),
        ("seller_payouts:sel_1:EUR", 700),
    ]
