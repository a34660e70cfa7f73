"""Green labels and the evidence behind them (part S2).

A label says one thing about one product ("recycled content", "organic", ...). It exists only
with evidence: an uploaded certificate document, a certificate URL with its number, or a rule
computed from the product's data (the figures used are stored with it). An operator reviews
it (pending -> granted or refused); anyone may challenge a granted label; it is withdrawn when
a challenge is upheld, its evidence expires or its rule stops holding.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.ids import PublicIdField

__all__ = ["GreenLabel", "LabelChallenge"]


class GreenLabel(models.Model):
    class Kind(models.TextChoices):
        RECYCLED_CONTENT = "recycled_content", _("Recycled content")
        ORGANIC = "organic", _("Organic")
        REPAIRABLE = "repairable", _("Repairable")
        LOW_CARBON_DELIVERY = "low_carbon_delivery", _("Low-carbon delivery")
        CERTIFIED = "certified", _("Certified")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Evidence(models.TextChoices):
        DOCUMENT = "document", _("certificate document")
        URL = "url", _("certificate at the issuer")
        RULE = "rule", _("rule computed from the product's data")

    public_id = PublicIdField(prefix="glbl")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind)
    scheme = models.CharField(max_length=200, blank=True, help_text="the named scheme")
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    evidence = models.CharField(max_length=10, choices=Evidence)
    # document: stored under MEDIA_ROOT (path relative to it), served by the evidence page.
    document_path = models.CharField(max_length=300, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    # url: where the issuer shows the certificate, and its number.
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_number = models.CharField(max_length=120, blank=True)
    # rule: its code and the figures it used when last computed.
    rule = models.CharField(max_length=40, blank=True)
    rule_figures = models.JSONField(default=dict, blank=True)
    expires_on = models.DateField()
    requested_at = models.DateTimeField()
    requested_by = models.CharField(max_length=200)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=200, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["product", "status"], name="sus_label_product_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind", "scheme"],
                condition=models.Q(status__in=["pending", "granted"]),
                name="sus_label_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"


class LabelChallenge(models.Model):
    """Anyone's objection to a granted label; the operator upholds it (the label is withdrawn)
    or dismisses it, with a note shown on the evidence page."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    public_id = PublicIdField(prefix="lchl")
    label = models.ForeignKey(GreenLabel, on_delete=models.CASCADE, related_name="challenges")
    reason = models.TextField(max_length=2000)
    # Optional, for the operator to reply; never shown on the public page.
    contact_email = models.EmailField(blank=True)
    raised_by = models.CharField(max_length=200)
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.public_id
