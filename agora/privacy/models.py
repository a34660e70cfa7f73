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


# --- differentially private statistics (issue 8 item 4; see privacy/dp/) ----------------------
class DpBudget(models.Model):
    """A seller's privacy budget for one month's data: the ε limit in force when the month was
    first queried (a later change of the setting does not reopen a spent month). Its row is
    locked while a release checks and spends, so two releases cannot both take the last ε."""

    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)  # YYYY-MM: the month the data is about
    epsilon_limit = models.DecimalField(max_digits=6, decimal_places=3)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "period"], name="dp_budget_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.period} ε≤{self.epsilon_limit}"


class DpLedgerEntry(models.Model):
    """The privacy ledger: one row per release, with the ε it spent and the noisy figures it
    released, which are answered again for the same query instead of drawing new noise."""

    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    query = models.CharField(max_length=64)  # the table and its ε, e.g. sales-by-region?epsilon=0.5
    epsilon = models.DecimalField(max_digits=6, decimal_places=3)
    result = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "period", "query"], name="dp_ledger_one_release_per_query"
            ),
            models.CheckConstraint(condition=models.Q(epsilon__gt=0), name="dp_ledger_epsilon_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.period} {self.query} ε={self.epsilon}"


class Erasure(models.Model):
    """That a person's account was erased, when, and what each app removed (counts only): the
    platform's proof that it honoured the request (GDPR Art. 17, 5(2)), holding nothing that
    identifies the person beyond the account's pseudonymous id."""

    user_public_id = models.CharField(max_length=40, unique=True)
    persons = models.JSONField(default=list)  # public ids of the vault persons shredded
    counts = models.JSONField(default=dict)  # {app: {kind: rows}}
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"erasure of {self.user_public_id}"
