"""Writing to the ledger: the only code that inserts ledger rows.

:func:`ledger_post` runs inside the caller's transaction (the use case's), checks the postings
balance per currency (the pure rule, again, right before the insert), and is idempotent by key:
posting with a key already used returns the first transaction and writes nothing, so a retried
capture, release, refund or payout can never post twice. Ledger rows are append-only and never
locked; use cases serialise on the rows named in their lock rule instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from agora.core import clock
from agora.core.errors import AgoraError
from agora.payments import errors
from agora.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction
from agora.payments.postings import (
    ESCROW,
    SELLER_PAYABLE,
    SELLER_PAYOUTS,
    AccountKey,
    Posting,
    Unbalanced,
    check_balanced,
)

_SELLER_KINDS = (ESCROW, SELLER_PAYABLE, SELLER_PAYOUTS)


def ledger_account(key: AccountKey, *, seller_id: int | None = None) -> LedgerAccount:
    """The account named by ``key``, created on first use (safe against a concurrent first use)."""
    account = LedgerAccount.objects.filter(code=key.code).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(
                code=key.code,
                kind=key.kind,
                owner=key.owner,
                currency=key.currency,
                seller_id=seller_id if key.kind in _SELLER_KINDS else None,
                created_at=clock.now(),
            )
    except IntegrityError:
        return LedgerAccount.objects.get(code=key.code)


def _same_postings(existing: LedgerTransaction, postings: list[Posting]) -> bool:
    stored = sorted(existing.entries.values_list("account__code", "amount_minor"))
    return stored == sorted((p.account.code, p.amount_minor) for p in postings)


def ledger_post(
    *,
    kind: str,
    reference: str,
    idempotency_key: str,
    postings: Iterable[Posting],
    seller_id: int | None = None,
    memo: str = "",
    metadata: dict[str, Any] | None = None,
) -> LedgerTransaction:
    """Records one balanced transaction; returns the existing one when the key was used before
    with the same postings (and refuses the key with other postings)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_post must run inside the use case's transaction.atomic()")
    try:
        items = check_balanced(postings)
    except Unbalanced as exc:
        raise AgoraError(errors.LEDGER_UNBALANCED, f"{kind} {reference}: {exc}") from exc
    existing = LedgerTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if not _same_postings(existing, items):
            raise AgoraError(
                errors.LEDGER_UNBALANCED,
                f"ledger key {idempotency_key!r} was already posted with other entries",
            )
        return existing
    accounts = {p.account: ledger_account(p.account, seller_id=seller_id) for p in items}
    ltx = LedgerTransaction.objects.create(
        kind=kind,
        reference=reference,
        idempotency_key=idempotency_key,
        memo=memo[:300],
        metadata=metadata or {},
        created_at=clock.now(),
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            transaction=ltx,
            account=accounts[p.account],
            amount_minor=p.amount_minor,
            currency=p.currency,
        )
        for p in items
    )
    return ltx
