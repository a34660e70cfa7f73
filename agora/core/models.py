"""The kernel's tables: the event outbox, per-handler delivery state, the audit log, and the
people whose personal data the vault seals."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it reports.

    ``dispatched_at`` is set once every registered handler has applied it; until then the worker
    retries the handlers that have not, at ``next_attempt_at``.
    """

    public_id = PublicIdField(prefix="evt")
    name = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_pending_idx",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.public_id}"


class EventDelivery(models.Model):
    """One handler's progress on one event. Its row is the "applied once" guarantee: a handler's
    database effects commit in the same transaction that marks the delivery done."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"  # will be retried at next_attempt_at
        DEAD = "dead"  # gave up after too many attempts; retried only by an operator

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="delivery_once_per_handler")
        ]
        verbose_name_plural = "event deliveries"

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id} ({self.status})"


class AuditEntry(models.Model):
    """Who changed what, when. Append-only: services write it in the change's transaction."""

    at = models.DateTimeField(db_index=True)
    actor_kind = models.CharField(max_length=10)
    actor_label = models.CharField(max_length=200)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key_id = models.BigIntegerField(null=True, blank=True)
    seller_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_id}"


class Person(models.Model):
    """One natural person whose personal data the platform holds: a buyer with an account, or a
    guest who checked out. Their data is sealed under their own key (:mod:`agora.core.vault`);
    other tables refer to the person, never copy the data. ``wrapped_key`` is None once the
    person is erased (crypto-shredded): every sealed record of theirs is then unreadable."""

    public_id = PublicIdField(prefix="per")
    wrapped_key = models.BinaryField(null=True, blank=True)
    profile = models.BinaryField(null=True, blank=True)  # sealed {"email", "name", "phone"}
    # HMAC of the normalised email under the platform's search key: find without holding it.
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField()
    shredded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.public_id
