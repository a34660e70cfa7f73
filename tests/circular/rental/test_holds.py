"""The payments hold used for rental money (agora/payments/services/holds.py): the pure
settlement rule balances and splits exactly; a hold is charged once and settled once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.core.actors import system
from agora.core.errors import AgoraError
from agora.payments.postings import BUYER_REFUNDS, ESCROW, PLATFORM_COMMISSION, SELLER_PAYABLE
from agora.payments.services.holds import held_minor, hold_capture, hold_settle, settle_postings
from tests.conftest import make_seller

ACTOR = system("hold-tests")


@given(
    held=st.integers(min_value=1, max_value=10**9),
    share=st.floats(min_value=0, max_value=1),
    bps=st.integers(min_value=0, max_value=10_000),
)
def test_settlement_empties_escrow_and_splits_exactly(held, share, bps):
    to_seller = int(held * share)
    postings = settle_postings(
        reference="rbk_x",
        seller_ref="sel_x",
        held_minor=held,
        to_seller_minor=to_seller,
        commission_bps=bps,
        currency="EUR",
        provider="test",
    )
    by_kind: dict[str, int] = {}
    for p in postings:
        by_kind[p.account.kind] = by_kind.get(p.account.kind, 0) + p.amount_minor
    assert sum(by_kind.values()) == 0
    assert by_kind[ESCROW] == -held
    assert by_kind.get(BUYER_REFUNDS, 0) == held - to_seller
    assert by_kind.get(SELLER_PAYABLE, 0) + by_kind.get(PLATFORM_COMMISSION, 0) == to_seller


@pytest.mark.django_db
def test_a_hold_is_charged_once_and_settled_once():
    seller = make_seller("holder")
    args = {
        "actor": ACTOR,
        "reference": "rbk_test1",
        "seller_id": seller.pk,
        "amount_minor": 5000,
        "currency": "EUR",
        "payment_method": "tok_visa",
    }
    first = hold_capture(**args)
    again = hold_capture(**args)
    assert first.status == again.status == "held"
    assert held_minor(reference="rbk_test1", currency="EUR") == 5000  # not 10000
    settle = {
        "actor": ACTOR,
        "reference": "rbk_test1",
        "seller_id": seller.pk,
        "seller_ref": seller.public_id,
        "currency": "EUR",
        "commission_bps": 1000,
    }
    with pytest.raises(AgoraError, match="more than"):
        hold_settle(**settle, to_seller_minor=6000)
    hold_settle(**settle, to_seller_minor=2000)
    assert held_minor(reference="rbk_test1", currency="EUR") == 0
    with pytest.raises(AgoraError) as caught:
        hold_settle(**settle, to_seller_minor=0)
    assert caught.value.problem.slug == "nothing-to-release"


@pytest.mark.django_db
def test_a_declined_or_3ds_card_holds_nothing():
    seller = make_seller("holder")
    for n, card in enumerate(("tok_chargeDeclined", "tok_threeDSecureRequired")):
        result = hold_capture(
            actor=ACTOR,
            reference=f"rbk_d{n}",
            seller_id=seller.pk,
            amount_minor=100,
            currency="EUR",
            payment_method=card,
        )
        assert result.status == "declined" and result.code
        assert held_minor(reference=f"rbk_d{n}", currency="EUR") == 0
