"""Reviews, notices (reports), moderation decisions with their statements of reasons, and
appeals. Decisions are kept whole (never edited after the fact): an appeal's outcome is its own
row with its own statement, so the affected party and the transparency report see both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.ids import PublicIdField


class Review(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        RESTRICTED = "restricted", _("visibility restricted")
        REMOVED = "removed", _("removed")

    public_id = PublicIdField(prefix="rev")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status, default=Status.VISIBLE)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="one_review_per_buyer"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.rating}/5"


class TargetKind(models.TextChoices):
    REVIEW = "review", _("review")
    PRODUCT = "product", _("product")
    SELLER = "seller", _("seller")


class Notice(models.Model):
    """A report from anyone (DSA Art. 16 notice); the same reporter reporting the same target
    again while it is open is the same notice, not a new one."""

    class Reason(models.TextChoices):
        ILLEGAL = "illegal_content", _("illegal content")
        COUNTERFEIT = "counterfeit", _("counterfeit")
        UNSAFE = "unsafe_product", _("unsafe product")
        HATE = "hate_harassment", _("hate or harassment")
        SPAM = "spam", _("spam")
        IP = "intellectual_property", _("intellectual property")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DECIDED = "decided", _("decided")

    public_id = PublicIdField(prefix="ntc")
    target_kind = models.CharField(max_length=8, choices=TargetKind)
    target_id = models.CharField(max_length=40)
    # The seller the target belongs to (or is), for the seller's view and the queue.
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=24, choices=Reason)
    explanation = models.TextField()
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "user:<pk>" or "session:<key hash>": how a repeat of the same report is recognised.
    reporter_ref = models.CharField(max_length=80)
    status = models.CharField(max_length=8, choices=Status, default=Status.OPEN)
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter_ref", "target_kind", "target_id"],
                condition=models.Q(status="open"),
                name="one_open_notice_per_reporter_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.target_kind}:{self.target_id}"


class Decision(models.Model):
    """A moderation decision and its statement of reasons (DSA Art. 17)."""

    class Action(models.TextChoices):
        REMOVE = "remove", _("remove content")
        RESTRICT = "restrict", _("restrict visibility")
        SUSPEND = "suspend_seller", _("suspend seller")
        NONE = "no_action", _("no action")

    public_id = PublicIdField(prefix="dec")
    target_kind = models.CharField(max_length=8, choices=TargetKind)
    target_id = models.CharField(max_length=40)
    action = models.CharField(max_length=16, choices=Action)
    facts = models.TextField()
    ground = models.TextField()
    automated = models.BooleanField(default=False)
    redress = models.TextField()
    affected_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affected_seller = models.ForeignKey(
        "marketplace.Seller", on_delete=models.CASCADE, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(db_index=True)
    # Hours from the first notice to this decision, for the transparency report's median.
    hours_to_decide = models.FloatField(default=0)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.action} {self.target_kind}:{self.target_id}"

    @property
    def affected_appeal(self) -> Appeal | None:
        """The affected party's appeal, if any (prefetch ``appeals`` to spare a query each)."""
        return next((a for a in self.appeals.all() if a.party == Appeal.Party.AFFECTED), None)


class Appeal(models.Model):
    """An internal appeal against a decision (DSA Art. 20), decided by another operator.

    Two parties may appeal: the one the decision affects (the review's author, the seller's
    staff), once per decision, against an action taken; and each signed-in notifier whose
    notice the decision closed, once each, against "no action". A notifier's appeal that is
    reversed does not edit the decision: it makes a new one (``result``) with the action and its
    own statement of reasons, which the affected party may appeal in turn."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        REVERSED = "reversed", _("reversed")

    class Party(models.TextChoices):
        AFFECTED = "affected", _("affected party")
        NOTIFIER = "notifier", _("notifier")

    public_id = PublicIdField(prefix="apl")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="appeals")
    party = models.CharField(max_length=8, choices=Party, default=Party.AFFECTED)
    # The notifier's own notice (notifier appeals only): what they asked for, and their link.
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    explanation = models.TextField()
    created_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=8, choices=Outcome, default=Outcome.OPEN)
    statement = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A reversed notifier appeal: the decision that took the action "no action" had refused.
    result = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="made_on_appeal",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=models.Q(party="affected"),
                name="one_affected_party_appeal_per_decision",
            ),
            models.UniqueConstraint(
                fields=["decision", "appellant"],
                condition=models.Q(party="notifier"),
                name="one_appeal_per_notifier_and_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.outcome}"
