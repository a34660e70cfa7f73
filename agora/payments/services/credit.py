"""Store credit: a tender the buyer holds on the platform, granted by a program (trade-in) and
spent at checkout beside the card.

Credit lives in the ledger like every other money: ``store_credit:<buyer>:<cur>`` holds what the
buyer can spend, ``credit_issued:<program>:<cur>`` is where it came from. A payment that uses
credit takes it out of the buyer's account into ``credit_hold:<payment>`` when the payment is
created, so two checkouts at once cannot spend the same credit; capture moves the hold into the
orders' escrow, and a payment that fails or is cancelled gives the hold back (once: the ledger's
idempotency key). Lock rule: the buyer's ``store_credit`` account row is locked before its
balance is read for a spend; nothing else locks it.
"""

from __future__ import annotations

from django.db import transaction

from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, invalid
from agora.core.events import publish
from agora.core.money import Money, MoneyError, normalize_currency
from agora.payments import errors
from agora.payments.events import StoreCreditIssued
from agora.payments.ledger import ledger_account, ledger_post
from agora.payments.models import LedgerAccount, LedgerTransaction, PaymentIntent
from agora.payments.postings import (
    credit_account,
    credit_hold_postings,
    credit_issue_postings,
    credit_release_postings,
)
from agora.payments.selectors import balance
from agora.payments.services._common import require_system

PROGRAMS = ("trade_in", "goodwill")


def _amount(amount_minor: int, name: str = "amount_minor") -> int:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise invalid(name, f"{amount_minor!r} is not a positive number of minor units")
    return amount_minor


def store_credit_issue(
    *,
    actor: Actor,
    buyer: object,
    amount_minor: int,
    currency: str,
    program: str,
    reference: str,
    idempotency_key: str,
    memo: str = "",
) -> LedgerTransaction:
    """Grants ``buyer`` store credit for ``reference`` (e.g. a trade-in's public id). Done by the
    platform (an operator or a system job), never by the buyer; granting again with the same key
    returns the first grant and posts nothing. Runs in the caller's transaction when there is one,
    so the caller's own state change and the credit land together."""
    require_system(actor, "granting store credit")
    _amount(amount_minor)
    if program not in PROGRAMS:
        raise invalid("program", f"{program!r} is not one of {', '.join(PROGRAMS)}")
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    if not idempotency_key or len(idempotency_key) > 150:
        raise invalid("idempotency_key", "give a key of 1 to 150 characters")
    buyer_ref = buyer.public_id  # type: ignore[attr-defined]
    with transaction.atomic():
        earlier = LedgerTransaction.objects.filter(idempotency_key=f"credit:{idempotency_key}")
        first = earlier.first()
        ltx = ledger_post(
            kind=LedgerTransaction.Kind.CREDIT_ISSUE,
            reference=reference,
            idempotency_key=f"credit:{idempotency_key}",
            postings=credit_issue_postings(
                program=program, buyer_ref=buyer_ref, amount_minor=amount_minor, currency=currency
            ),
            memo=memo,
            metadata={"program": program, "buyer": buyer_ref},
        )
        if first is None:
            audit_record(
                actor=actor,
                action="store_credit.issued",
                target=ltx,
                changes={"buyer": buyer_ref, "amount_minor": amount_minor, "program": program},
            )
            publish(
                StoreCreditIssued(
                    buyer_id=buyer_ref,
                    program=program,
                    reference=reference,
                    amount_minor=amount_minor,
                    currency=currency,
                )
            )
    return ltx


def _lock_credit_account(buyer_ref: str, currency: str) -> LedgerAccount:
    account = ledger_account(credit_account(buyer_ref, currency))
    return LedgerAccount.objects.select_for_update().get(pk=account.pk)


def credit_hold(*, intent: PaymentIntent, buyer_ref: str) -> None:
    """Sets the intent's ``credit_minor`` aside from the buyer's balance, inside the caller's
    transaction (payment creation); refuses more than the buyer has."""
    amount, currency = intent.credit_minor, intent.currency
    account = _lock_credit_account(buyer_ref, currency)
    available = balance(account)
    if amount > available:
        raise AgoraError(
            errors.STORE_CREDIT_INSUFFICIENT,
            f"{Money(amount, currency)} of store credit asked for, "
            f"{Money(max(available, 0), currency)} available",
        )
    ledger_post(
        kind=LedgerTransaction.Kind.CREDIT_HOLD,
        reference=intent.public_id,
        idempotency_key=f"credit_hold:{intent.public_id}",
        postings=credit_hold_postings(
            buyer_ref=buyer_ref,
            payment_ref=intent.public_id,
            amount_minor=amount,
            currency=currency,
        ),
        metadata={"buyer": buyer_ref},
    )


def credit_owner(intent: PaymentIntent) -> str:
    """Whose credit paid the intent (from its hold, which outlives a deleted account row)."""
    hold = LedgerTransaction.objects.filter(idempotency_key=f"credit_hold:{intent.public_id}")
    metadata = hold.values_list("metadata", flat=True).first()
    if metadata is None:
        raise AgoraError(errors.LEDGER_UNBALANCED, f"payment {intent.public_id} held no credit")
    return metadata["buyer"]


def credit_release(*, intent: PaymentIntent) -> None:
    """Gives a failed or cancelled payment's held credit back (inside the caller's
    transaction); a payment without credit, or released before, posts nothing."""
    if not intent.credit_minor:
        return
    hold = LedgerTransaction.objects.filter(idempotency_key=f"credit_hold:{intent.public_id}")
    metadata = hold.values_list("metadata", flat=True).first()
    if metadata is None:
        return
    ledger_post(
        kind=LedgerTransaction.Kind.CREDIT_RELEASE,
        reference=intent.public_id,
        idempotency_key=f"credit_release:{intent.public_id}",
        postings=credit_release_postings(
            buyer_ref=metadata["buyer"],
            payment_ref=intent.public_id,
            amount_minor=intent.credit_minor,
            currency=intent.currency,
        ),
    )
