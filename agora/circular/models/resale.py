"""Resale tables: a request to resell one unit (from a buyer's order or a seller's own used
goods), its inspection and listing, and the ownership history each resale sale extends.

A listed unit is an ordinary catalog product with one variant (condition ``used``, a grade, a
link to the original), so checkout, escrow and fulfilment treat it like any other item; this
app only remembers which variant is which request, to record the new owner when it is paid.

**Listing twice** is prevented by the database: a buyer's request names its order line and
``unit_no`` (1..quantity), and ``(source_line, unit_no)`` is UNIQUE; a request lists at most one
variant (``variant`` is a one-to-one).

Holders are pseudonymous: ``holder_ref`` is a keyed hash of the buyer reference checkout knows
(``user:<pk>`` or ``guest:<hash>``), stable for one holder, meaningless outside Agora.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.ids import PublicIdField


class ResaleRequest(models.Model):
    """One unit offered for resale, from request to sale."""

    class Origin(models.TextChoices):
        BUYER = "buyer"  # "Resell this" on an Agora order
        SELLER = "seller"  # a seller's own used goods

    class Status(models.TextChoices):
        REQUESTED = "requested"  # waiting for the item to be inspected
        INSPECTED = "inspected"  # graded and priced, not listed yet
        LISTED = "listed"  # a published catalog product
        SOLD = "sold"
        REJECTED = "rejected"  # failed inspection

    class Grade(models.TextChoices):
        A = "A"
        B = "B"
        C = "C"

    public_id = PublicIdField(prefix="rsr")
    origin = models.CharField(max_length=8, choices=Origin)
    status = models.CharField(max_length=10, choices=Status, default=Status.REQUESTED)
    # The seller that lists and sells the unit (the platform's resale seller for buyers).
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_ref = models.CharField(max_length=40, blank=True)  # pseudonymous holder ref
    source_line = models.ForeignKey(
        "orders.OrderLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_no = models.PositiveIntegerField(default=1)
    # What was bought, copied so the history survives the original being changed or deleted.
    original_product_id = models.CharField(max_length=40, blank=True)  # product public id
    original_variant_id = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    purchased_on = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    price_paid_minor = models.BigIntegerField()
    gtin = models.CharField(max_length=14, blank=True)
    serial = models.CharField(max_length=20, blank=True)
    digital_link = models.URLField(max_length=500, blank=True)
    # Inspection
    grade = models.CharField(max_length=1, choices=Grade, blank=True)
    checklist = models.JSONField(default=dict, blank=True)  # item -> {"result", "note"}
    photos = models.JSONField(default=list, blank=True)  # https links
    inspected_by = models.CharField(max_length=120, blank=True)  # actor label
    inspected_at = models.DateTimeField(null=True, blank=True)
    suggested_price_minor = models.BigIntegerField(null=True, blank=True)
    price_minor = models.BigIntegerField(null=True, blank=True)
    warranty_months = models.PositiveIntegerField(null=True, blank=True)
    # Listing
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    variant = models.OneToOneField(
        "catalog.Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    listed_at = models.DateTimeField(null=True, blank=True)
    sold_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_line", "unit_no"],
                condition=Q(source_line__isnull=False),
                name="resale_one_request_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(price_paid_minor__gte=0)
                & (Q(price_minor__isnull=True) | Q(price_minor__gt=0)),
                name="resale_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(grade__in=["A", "B", "C"]), name="resale_grade_abc"
            ),
        ]

    def __str__(self) -> str:
        return self.public_id


class OwnershipRecord(models.Model):
    """One holder of a resold unit from a date: the first buyer (from the original purchase)
    and each later resale buyer. Appended by the ``order.paid`` handler, never edited."""

    class Kind(models.TextChoices):
        ORIGINAL = "original"  # bought new on Agora
        RESALE = "resale"  # bought second hand through a resale listing

    public_id = PublicIdField(prefix="own")
    request = models.ForeignKey(ResaleRequest, on_delete=models.CASCADE, related_name="owners")
    kind = models.CharField(max_length=8, choices=Kind)
    holder_ref = models.CharField(max_length=40)
    order_id = models.CharField(max_length=40)  # the order public id that made them the holder
    acquired_on = models.DateField()
    grade = models.CharField(max_length=1, blank=True)  # the grade it was sold in (resale)
    gtin = models.CharField(max_length=14, blank=True, db_index=True)
    serial = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["acquired_on", "id"]
        constraints = [
            # a redelivered order.paid adds nothing
            models.UniqueConstraint(fields=["request", "order_id"], name="ownership_once_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.holder_ref} from {self.acquired_on}"
