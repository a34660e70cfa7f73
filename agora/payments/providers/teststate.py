"""The test provider's own tables: its "servers'" memory of charges and of idempotent requests.

They stand for state held at the provider, outside Agora: nothing of Agora reads them except the
test provider itself, and the test provider never touches Agora's ledger or orders.
"""

from __future__ import annotations

from django.db import models


class TestProviderCharge(models.Model):
    __test__ = False  # not a pytest test class

    class Status(models.TextChoices):
        REQUIRES_ACTION = "requires_action"
        AUTHORIZED = "authorized"
        CAPTURED = "captured"
        DECLINED = "declined"
        FAILED = "failed"
        CANCELLED = "cancelled"

    ref = models.CharField(max_length=40, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    card_last4 = models.CharField(max_length=4)
    behaviour = models.CharField(max_length=20)
    status = models.CharField(max_length=16, choices=Status)
    challenge_ref = models.CharField(max_length=40, blank=True)
    decline_code = models.CharField(max_length=40, blank=True)
    captured_minor = models.BigIntegerField(default=0)
    refunded_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refunded_minor__lte=models.F("captured_minor")),
                name="test_provider_refund_at_most_captured",
            )
        ]

    def __str__(self) -> str:
        return self.ref


class TestProviderRequest(models.Model):
    """One idempotency key: the operation, a fingerprint of its parameters, the answer given."""

    __test__ = False

    idempotency_key = models.CharField(max_length=200, unique=True)
    operation = models.CharField(max_length=20)
    fingerprint = models.CharField(max_length=64)
    response = models.JSONField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.operation} {self.idempotency_key}"
