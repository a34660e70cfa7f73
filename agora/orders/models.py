"""Orders and their lines, and returns against lines.

One order belongs to one seller. ``channel`` + ``external_ref`` identify orders that came from
outside (an import keyed by invoice number), so re-importing finds them instead of duplicating.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField


class Order(models.Model):
    class Status(models.TextChoices):
        PLACED = "placed"
        PAID = "paid"
        PARTIALLY_FULFILLED = "partially_fulfilled"
        FULFILLED = "fulfilled"
        DELIVERED = "delivered"
        COMPLETED = "completed"
        CANCELLED = "cancelled"
        REFUNDED = "refunded"

    class Channel(models.TextChoices):
        WEB = "web"
        API = "api"
        IMPORT = "import"

    public_id = PublicIdField(prefix="ord")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    channel = models.CharField(max_length=10, choices=Channel)
    external_ref = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=Status)
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    ship_country = models.CharField(max_length=60, blank=True)
    placed_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "channel", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="order_external_ref_once",
            )
        ]
        indexes = [models.Index(fields=["seller", "placed_at"], name="order_seller_time_idx")]

    def __str__(self) -> str:
        return self.public_id


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    variant = models.ForeignKey(
        "catalog.Variant", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    returned_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="line_no_once_per_order"),
            models.CheckConstraint(
                condition=models.Q(returned_quantity__lte=models.F("quantity")),
                name="returned_at_most_bought",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} x {self.quantity}"


class OrderReturn(models.Model):
    """Goods coming back (or a cancellation after the sale) against lines of one order."""

    class Status(models.TextChoices):
        REQUESTED = "requested"
        APPROVED = "approved"
        RECEIVED = "received"
        REFUNDED = "refunded"
        REJECTED = "rejected"

    public_id = PublicIdField(prefix="ret")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(max_length=10, choices=Status)
    reason = models.CharField(max_length=200, blank=True)
    external_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.public_id


class OrderReturnLine(models.Model):
    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    external_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~models.Q(external_ref=""),
                name="return_line_external_ref_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"
