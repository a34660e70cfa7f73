"""Payments' tables: the double-entry ledger, our payment intents, refunds and payouts.

The ledger is append-only: a :class:`LedgerTransaction` and its :class:`LedgerEntry` rows are
inserted together by :func:`agora.payments.ledger.ledger_post` (which refuses an unbalanced set)
and never updated or deleted. Balances are sums of entries, never a stored number.

The test provider's own state (a stand-in for the provider's servers) lives in
:mod:`agora.payments.providers.teststate`; it is imported here only so Django finds its models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField
from agora.payments.postings import ACCOUNT_KINDS
from agora.payments.providers.teststate import (  # noqa: F401  (models of the test provider)
    TestProviderCharge,
    TestProviderRequest,
)


class AppendOnly(models.Model):
    """Refuses updates and deletes through the ORM: history is corrected by a new posting."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError(f"{type(self).__name__} rows are append-only")


class LedgerAccount(models.Model):
    """One account per kind, owner and currency (or unit: store credit and points later use
    their own unit codes). ``code`` is ``kind:owner:currency``, e.g. ``escrow:ord_…:EUR``."""

    code = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=24, choices=[(k, k) for k in ACCOUNT_KINDS])
    owner = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=8)
    seller = models.ForeignKey(
        "marketplace.Seller", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "kind", "currency"], name="ledger_acct_seller")]

    def __str__(self) -> str:
        return self.code


class LedgerTransaction(AppendOnly):
    class Kind(models.TextChoices):
        CAPTURE = "capture"
        RELEASE = "release"
        REFUND = "refund"
        PAYOUT = "payout"
        CREDIT_ISSUE = "credit_issue"  # a program (trade-in) grants store credit
        CREDIT_HOLD = "credit_hold"  # credit set aside for a payment
        CREDIT_RELEASE = "credit_release"  # a failed or cancelled payment gives it back

    public_id = PublicIdField(prefix="ltx")
    kind = models.CharField(max_length=16, choices=Kind)
    # What it is about: an order's public id (capture, release, refund) or a payout's.
    reference = models.CharField(max_length=64, db_index=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    memo = models.CharField(max_length=300, blank=True)
    # Facts the rules need later, e.g. the commission rate a release used.
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} ({self.public_id})"


class LedgerEntry(AppendOnly):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=8)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_minor=0), name="ledger_entry_not_zero"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_minor:+d} {self.currency}"


class ProviderCall(models.Model):
    """What our records of a provider call share: the key that makes retrying it safe, why it
    failed, and when it last changed (the reconcile sweep looks for old unfinished ones)."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.public_id  # type: ignore[attr-defined]


class PaymentIntent(ProviderCall):
    """Our record of one payment for one or more orders (one per seller, one checkout)."""

    class Status(models.TextChoices):
        REQUIRES_PAYMENT = "requires_payment"
        AUTHORIZING = "authorizing"  # the provider is being asked; resolved by the sweep
        REQUIRES_ACTION = "requires_action"  # 3-D Secure challenge pending
        AUTHORIZED = "authorized"
        CAPTURING = "capturing"
        CAPTURED = "captured"
        PARTIALLY_REFUNDED = "partially_refunded"
        REFUNDED = "refunded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    public_id = PublicIdField(prefix="pay")
    checkout_ref = models.CharField(max_length=64, blank=True, db_index=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    orders = models.ManyToManyField("orders.Order", related_name="+")
    amount_minor = models.BigIntegerField()  # the orders' total, whatever the tender
    # The part paid with the buyer's store credit (held at creation); the provider is asked for
    # the rest, and not at all when credit pays everything.
    credit_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=32)
    # The provider's token for the card (never a card number we keep for a real provider).
    payment_method = models.CharField(max_length=64)
    return_url = models.CharField(max_length=500, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True, db_index=True)
    challenge_ref = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.REQUIRES_PAYMENT)
    failure_code = models.CharField(max_length=64, blank=True)

    class Meta(ProviderCall.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="intent_positive"),
            models.CheckConstraint(
                condition=models.Q(credit_minor__gte=0, credit_minor__lte=models.F("amount_minor")),
                name="intent_credit_within_amount",
            ),
        ]

    @property
    def charge_minor(self) -> int:
        """What the provider is asked for: the total less the store credit."""
        return self.amount_minor - self.credit_minor


class Refund(ProviderCall):
    """Money going back to a buyer for one order. Created ``pending`` (the amount is reserved
    against the order) before the provider is asked, then ``succeeded`` or ``failed``."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    public_id = PublicIdField(prefix="re")
    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="refunds")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()
    # The part returned as store credit (decided when the refund starts: the card first).
    credit_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    provider_ref = models.CharField(max_length=100, blank=True)

    class Meta(ProviderCall.Meta):
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="refund_positive")
        ]


class Payout(models.Model):
    """A seller's payable balance moved to "paid out" (the bank transfer is a later step)."""

    public_id = PublicIdField(prefix="po")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.public_id
