"""Webhook endpoints, the deliveries owed to them, and every attempt to send one (the log)."""

from __future__ import annotations

from django.db import models

from agora.core.ids import PublicIdField


class WebhookEndpoint(models.Model):
    """A URL a seller (or a platform app, through its app key) wants events posted to.

    The secret is kept in recoverable form because every delivery is signed with it (Standard
    Webhooks is HMAC, not a public-key scheme); it is shown to the owner on create and rotate
    only. After a rotation the previous secret keeps signing too until ``previous_secret_until``,
    so a receiver can switch over without dropping messages.
    """

    public_id = PublicIdField(prefix="whe")
    seller = models.ForeignKey(
        "marketplace.Seller",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        help_text="The app key owning an app endpoint (empty for a seller's endpoint)",
    )
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    event_types = models.JSONField(default=list, help_text='Event names, or ["*"] for all')
    secret = models.CharField(max_length=120)
    previous_secret = models.CharField(max_length=120, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-public_id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(seller__isnull=False, api_key__isnull=True)
                    | models.Q(seller__isnull=True, api_key__isnull=False)
                ),
                name="webhook_endpoint_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} → {self.url}"

    def subscribes_to(self, event_name: str) -> bool:
        return "*" in self.event_types or event_name in self.event_types


class WebhookDelivery(models.Model):
    """One event owed to one endpoint. ``msg_id`` is the outbox event's public id, the same on
    every attempt and replay, so a receiver can drop duplicates (delivery is at least once)."""

    class Status(models.TextChoices):
        PENDING = "pending"  # waiting for its next attempt at next_attempt_at
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # every attempt of this cycle failed; a replay starts a new cycle

    public_id = PublicIdField(prefix="whd")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "core.OutboxEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    msg_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=100)
    body = models.TextField(help_text="The exact JSON body that is signed and sent")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Attempts in the current cycle")
    cycle = models.PositiveIntegerField(default=1, help_text="1, plus one per manual replay")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-public_id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "msg_id"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhook_delivery_due_idx",
                condition=models.Q(status="pending"),
            )
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery and what came back: the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    cycle = models.PositiveIntegerField()
    number = models.PositiveIntegerField(help_text="1-based within the cycle")
    attempted_at = models.DateTimeField()
    succeeded = models.BooleanField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_snippet = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        outcome = self.status_code or self.error[:40]
        return f"{self.delivery_id} #{self.cycle}.{self.number}: {outcome}"
