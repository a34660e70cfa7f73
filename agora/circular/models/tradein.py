"""Trade-in tables: the operator's list of what we take back (``TradeInModel``) and one buyer's
trade-in from quote to store credit or return (``TradeIn``).

States (``tradein/services.py`` owns every change)::

    quoted -> accepted -> shipped -> received -> credited
                                              -> revised -> credited      (buyer accepts)
                                                         -> refused -> returned
    quoted | revised -> expired   (the sweep, or any action after the expiry)
    quoted | accepted -> cancelled (by the buyer, before shipping)

An expired revised offer leaves the item with us like a refusal: the operator returns it.
Credit is issued once: the ledger posting's idempotency key is the trade-in id plus the offer
version (1 the accepted offer, 2 the revised one), and the state moves under a row lock.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.ids import PublicIdField


class TradeInModel(models.Model):
    """One kind of item we accept (e.g. "Fairphone 4, 128 GB") and what it is worth to us in
    the best condition; the questionnaire scales it down."""

    public_id = PublicIdField(prefix="tim")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=80, blank=True)
    brand = models.CharField(max_length=80, blank=True)
    gtin = models.CharField(max_length=14, blank=True)
    base_value_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name = "trade-in model"
        constraints = [
            models.CheckConstraint(
                condition=Q(base_value_minor__gt=0), name="tradein_model_base_positive"
            ),
            models.UniqueConstraint(fields=["name", "currency"], name="tradein_model_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TradeIn(models.Model):
    """One buyer's trade-in of one item."""

    class Status(models.TextChoices):
        QUOTED = "quoted"
        ACCEPTED = "accepted"
        SHIPPED = "shipped"
        RECEIVED = "received"
        REVISED = "revised"  # inspection found it worth less: a revised offer waits
        CREDITED = "credited"
        REFUSED = "refused"  # the buyer refused the revised offer: we send it back
        RETURNED = "returned"
        EXPIRED = "expired"
        CANCELLED = "cancelled"

    public_id = PublicIdField(prefix="tri")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(TradeInModel, on_delete=models.PROTECT, related_name="tradeins")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUOTED)
    answers = models.JSONField(default=dict)  # the buyer's questionnaire
    currency = models.CharField(max_length=3)
    base_value_minor = models.BigIntegerField()  # the model's value when quoted
    offer_minor = models.BigIntegerField()
    offer_expires_at = models.DateTimeField()
    # The shipping reference printed on the label (and in its QR code).
    label_code = models.CharField(max_length=20, unique=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipping_note = models.CharField(max_length=200, blank=True)  # the buyer's tracking number
    received_at = models.DateTimeField(null=True, blank=True)
    # Inspection
    inspected_answers = models.JSONField(default=dict, blank=True)
    inspected_value_minor = models.BigIntegerField(null=True, blank=True)
    inspected_by = models.CharField(max_length=120, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    revised_offer_minor = models.BigIntegerField(null=True, blank=True)
    revised_expires_at = models.DateTimeField(null=True, blank=True)
    revised_decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)  # why revised, cancelled or expired
    # Outcome
    credited_minor = models.BigIntegerField(null=True, blank=True)
    credit_transaction_id = models.CharField(max_length=40, blank=True)  # ledger public id
    credited_at = models.DateTimeField(null=True, blank=True)
    return_note = models.CharField(max_length=500, blank=True)  # the return's tracking
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # expired or cancelled
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "offer_expires_at"], name="tradein_status_exp")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offer_minor__gt=0)
                & (Q(revised_offer_minor__isnull=True) | Q(revised_offer_minor__gte=0)),
                name="tradein_offers_valid",
            ),
            # credited exactly when a ledger grant is recorded
            models.CheckConstraint(
                condition=(Q(status="credited") & ~Q(credit_transaction_id=""))
                | (~Q(status="credited") & Q(credit_transaction_id="")),
                name="tradein_credited_has_grant",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def offer_version(self) -> int:
        """1 while the first offer stands, 2 once a revised offer was made."""
        return 1 if self.revised_offer_minor is None else 2
