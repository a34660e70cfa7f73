"""Reads of the ledger. Every balance is a sum of entries at the moment of reading; nothing is
cached, so there is no stored number that could disagree with the entries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum

from agora.marketplace.models import Seller
from agora.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction, PaymentIntent
from agora.payments.postings import (
    ESCROW,
    PLATFORM_COMMISSION,
    SELLER_PAYABLE,
    SELLER_PAYOUTS,
    AccountKey,
    OrderPosition,
    Posting,
    position_after,
)


def _sum(entries: object) -> int:
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0  # type: ignore[attr-defined]


def balance(account: LedgerAccount | AccountKey) -> int:
    """The account's balance in minor units: the sum of its entries."""
    if isinstance(account, AccountKey):
        return _sum(LedgerEntry.objects.filter(account__code=account.code))
    return _sum(LedgerEntry.objects.filter(account=account))


@dataclass(frozen=True)
class SellerBalance:
    currency: str
    in_escrow_minor: int  # paid by buyers, not yet released
    payable_minor: int  # released, not yet paid out (negative: the seller owes)
    paid_out_minor: int


def seller_balance(*, seller: Seller, currency: str) -> SellerBalance:
    """A seller's money in one currency, in one query over its accounts' entries."""
    sums = dict(
        LedgerEntry.objects.filter(
            account__seller=seller,
            account__currency=currency,
            account__kind__in=(ESCROW, SELLER_PAYABLE, SELLER_PAYOUTS),
        )
        .values_list("account__kind")
        .annotate(total=Sum("amount_minor"))
        .values_list("account__kind", "total")
    )
    return SellerBalance(
        currency=currency,
        in_escrow_minor=sums.get(ESCROW, 0),
        payable_minor=sums.get(SELLER_PAYABLE, 0),
        paid_out_minor=sums.get(SELLER_PAYOUTS, 0),
    )


def platform_commission(*, currency: str) -> int:
    return balance(AccountKey(PLATFORM_COMMISSION, "", currency))


def order_position(*, order_ref: str, seller_ref: str, currency: str) -> OrderPosition:
    """Where one order's money is, read from the entries of the order's own transactions
    (capture, release, refunds) through the same rule the pure tests use."""
    rows = (
        LedgerEntry.objects.filter(transaction__reference=order_ref, currency=currency)
        .values_list("account__kind")
        .annotate(total=Sum("amount_minor"))
        .values_list("account__kind", "total")
    )
    postings = [Posting(AccountKey(kind, "", currency), total) for kind, total in rows if total]
    release = (
        LedgerTransaction.objects.filter(reference=order_ref, kind=LedgerTransaction.Kind.RELEASE)
        .values_list("metadata", flat=True)
        .first()
    )
    start = OrderPosition(
        order_ref=order_ref,
        seller_ref=seller_ref,
        currency=currency,
        commission_bps=(release or {}).get("commission_bps"),
    )
    return position_after(start, postings)


def unbalanced_transactions() -> list[tuple[int, str, int]]:
    """``(transaction id, currency, sum)`` for every transaction whose entries do not sum to zero
    in a currency: always empty, and checked by the tests after every step."""
    return list(
        LedgerEntry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount_minor"))
        .filter(~Q(total=0))
        .values_list("transaction_id", "currency", "total")
    )


def store_credit_balance(*, buyer: object, currency: str) -> int:
    """What the buyer can spend now (credit held by a payment in progress is not counted)."""
    from agora.payments.postings import credit_account

    return balance(credit_account(buyer.public_id, currency))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CreditMovement:
    at: object
    kind: str  # credit_issue, credit_hold, credit_release, refund
    reference: str
    memo: str
    amount_minor: int
    currency: str


def store_credit_history(*, buyer: object, currency: str, limit: int = 100) -> list[CreditMovement]:
    """The buyer's store-credit movements, newest first (grants, spends, returns)."""
    from agora.payments.postings import credit_account

    code = credit_account(buyer.public_id, currency).code  # type: ignore[attr-defined]
    rows = (
        LedgerEntry.objects.filter(account__code=code)
        .select_related("transaction")
        .order_by("-id")[:limit]
    )
    return [
        CreditMovement(
            at=row.transaction.created_at,
            kind=row.transaction.kind,
            reference=row.transaction.reference,
            memo=row.transaction.memo,
            amount_minor=row.amount_minor,
            currency=row.currency,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class OrderPaymentMethod:
    provider: str
    payment_method: str


def payment_method_for_order(order_public_id: str) -> OrderPaymentMethod | None:
    """The card that paid an order (its captured intent's provider token), for a later charge
    the buyer agreed to at checkout (e.g. a packaging deposit); None when no card paid it
    (unpaid, or paid in full with store credit)."""
    intent = (
        PaymentIntent.objects.filter(
            orders__public_id=order_public_id,
            status__in=(
                PaymentIntent.Status.CAPTURED,
                PaymentIntent.Status.PARTIALLY_REFUNDED,
                PaymentIntent.Status.REFUNDED,
            ),
        )
        .order_by("pk")
        .first()
    )
    if intent is None or intent.charge_minor <= 0 or not intent.payment_method:
        return None
    return OrderPaymentMethod(provider=intent.provider, payment_method=intent.payment_method)
