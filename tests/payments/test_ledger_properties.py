"""Random sequences of checkouts, captures, partial refunds, releases and payouts driven through
the services; after every step the ledger must balance and every seller, the platform and the
buyers must hold exactly what a simple model of the rules says (computed here independently,
with its own half-even rounding)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.core.errors import AgoraError
from agora.payments.models import LedgerEntry, Payout
from agora.payments.selectors import platform_commission, seller_balance, unbalanced_transactions
from agora.payments.services import escrow_release, payout_create, refund_issue
from tests.conftest import make_seller
from tests.payments.conftest import SYSTEM, make_order, pay

CURRENCIES = ["EUR", "JPY", "GBP"]
amount = st.integers(min_value=1, max_value=2_000_000)
checkout = st.tuples(
    st.just("checkout"),
    st.lists(st.tuples(st.integers(0, 2), amount), min_size=1, max_size=3),
    st.sampled_from(CURRENCIES),
)
refund = st.tuples(st.just("refund"), st.integers(0, 99), st.integers(1, 2_000_000))
release = st.tuples(st.just("release"), st.integers(0, 99))
payout = st.tuples(st.just("payout"), st.integers(0, 2), st.sampled_from(CURRENCIES))
steps = st.lists(st.one_of(checkout, refund, refund, release, payout), min_size=1, max_size=20)


def expected_commission(kept: int, bps: int) -> int:
    return int((Decimal(kept) * bps / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass
class Expected:
    seller: int
    currency: str
    paid: int
    bps: int
    refunded: int = 0
    released: bool = False

    @property
    def kept(self) -> int:
        return self.paid - self.refunded


def _rolled_back(run) -> None:  # type: ignore[no-untyped-def]
    """Runs one example in a transaction that is rolled back afterwards. It is marked like the
    test case's own, so the services still see themselves as outside any transaction."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        run()
        transaction.set_rollback(True)


def _check(sellers, orders: dict, model: dict[int, Expected]) -> None:  # type: ignore[no-untyped-def]
    assert unbalanced_transactions() == []
    escrow_negative = (
        LedgerEntry.objects.filter(account__kind="escrow")
        .values("account")
        .annotate(total=Sum("amount_minor"))
        .filter(total__lt=0)
    )
    assert not escrow_negative.exists()
    paid_out = defaultdict(int)
    for seller_pk, currency, total in Payout.objects.values_list(
        "seller", "currency", "amount_minor"
    ):
        paid_out[seller_pk, currency] += total
    for currency in CURRENCIES:
        commission = 0
        for index, seller in enumerate(sellers):
            mine = [e for e in model.values() if e.seller == index and e.currency == currency]
            released = [e for e in mine if e.released]
            owed = sum(e.kept - expected_commission(e.kept, e.bps) for e in released)
            commission += sum(expected_commission(e.kept, e.bps) for e in released)
            balance = seller_balance(seller=seller, currency=currency)
            # No seller is paid for goods that were refunded: what it was paid or is owed equals
            # (captured - refunded) less commission over its released orders, exactly.
            assert balance.payable_minor + balance.paid_out_minor == owed
            assert balance.paid_out_minor == paid_out[seller.pk, currency]
            assert balance.in_escrow_minor == sum(e.kept for e in mine if not e.released)
        assert platform_commission(currency=currency) == commission


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(program=steps, rates=st.lists(st.integers(0, 10_000), min_size=3, max_size=3))
def test_random_money_flows_keep_the_ledger_exact(program, rates):
    def run() -> None:
        sellers = []
        for index, rate in enumerate(rates):
            seller = make_seller(f"prop-{index}")
            seller.commission_bps = rate
            seller.save(update_fields=["commission_bps"])
            sellers.append(seller)
        orders: list = []
        model: dict[int, Expected] = {}
        for step_no, step in enumerate(program):
            kind = step[0]
            if kind == "checkout":
                _, parts, currency = step
                placed = [make_order(sellers[s], total, currency) for s, total in parts]
                pay(placed)
                for order, (s, total) in zip(placed, parts, strict=True):
                    orders.append(order)
                    model[order.pk] = Expected(s, currency, total, rates[s])
            elif kind == "refund" and orders:
                order = orders[step[1] % len(orders)]
                expected, wanted = model[order.pk], step[2] % (model[order.pk].paid + 2) or 1
                try:
                    refund_issue(
                        actor=SYSTEM,
                        order=order,
                        amount_minor=wanted,
                        reason="property",
                        idempotency_key=f"prop-refund-{step_no}",
                    )
                    assert wanted <= expected.kept
                    expected.refunded += wanted
                except AgoraError as exc:
                    assert exc.problem.slug == "refund-exceeds-paid"
                    assert wanted > expected.kept
            elif kind == "release" and orders:
                order = orders[step[1] % len(orders)]
                expected = model[order.pk]
                try:
                    escrow_release(actor=SYSTEM, order=order)
                    assert expected.kept > 0 or expected.released
                    expected.released = True
                except AgoraError as exc:
                    assert exc.problem.slug == "nothing-to-release"
                    assert expected.kept == 0 and not expected.released
            elif kind == "payout":
                _, s, currency = step
                try:
                    payout_create(actor=SYSTEM, seller=sellers[s], currency=currency)
                except AgoraError as exc:
                    assert exc.problem.slug == "nothing-to-pay-out"
            _check(sellers, orders, model)

    _rolled_back(run)
