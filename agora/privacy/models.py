"""Consent records: append-only, one row per decision, so the history shows when, to which text
version and how each choice was made (GDPR Art. 7(1): the controller must be able to show it)."""

from __future__ import annotations

from django.db import models

from agora.core.ids import PublicIdField


class ConsentRecord(models.Model):
    class Method(models.TextChoices):
        BANNER = "banner", "the consent banner"
        ACCOUNT = "account", "the privacy page of the account"
        SIGNUP = "signup", "the sign-up form"
        API = "api", "the API"
        SEED = "seed", "the demo store's seed"

    public_id = PublicIdField(prefix="cns")
    # Whose: "user:<pk>" for an account, "guest:<hash>" for a guest's session (checkout's and
    # recommendations' way of naming a buyer).
    subject = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=24)
    granted = models.BooleanField()
    text_version = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject", "purpose", "-id"], name="consent_latest")]

    def __str__(self) -> str:
        return (
            f"{self.subject} {self.purpose}={'yes' if self.granted else 'no'} v{self.text_version}"
        )
