"""Orders and their lines, and returns against lines.

One order belongs to one seller. ``channel`` + ``external_ref`` identify orders that came from
outside (an import keyed by invoice number), so re-importing finds them instead of duplicating;
``checkout_ref`` identifies the checkout that placed a live order, so a retried checkout cannot
place it twice. Money is in minor units of ``currency``:

    total = subtotal (sum of line totals) + shipping - discount (+ tax unless prices include it)

The state machine is :mod:`agora.orders.states`; every change goes through
:mod:`agora.orders.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from agora.core.ids import PublicIdField
from agora.core.vault.people import person_unseal


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
    # Who bought, as checkout knows them: ``user:<pk>`` or ``guest:<hash>``. A guest acts on
    # their orders through it; signing in later claims the guest's orders for the account.
    buyer_ref = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel)
    external_ref = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=Status)
    currency = models.CharField(max_length=3)
    subtotal_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    ship_country = models.CharField(max_length=60, blank=True)
    placed_at = models.DateTimeField(db_index=True)
    # Live orders (0002); imported orders keep the defaults.
    shipping_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    discount_minor = models.BigIntegerField(default=0)
    prices_include_tax = models.BooleanField(default=False)
    refunded_minor = models.BigIntegerField(default=0)
    checkout_ref = models.CharField(max_length=64, blank=True)
    payment_ref = models.CharField(max_length=100, blank=True)
    # The person the order was bought for (an account's person, or a guest's) and where it
    # ships, sealed under that person's key (purpose ``order:<id>``): after erasure only the
    # country (``ship_country``) stays readable.
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ship_to_sealed = models.BinaryField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "channel", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="order_external_ref_once",
            ),
            models.UniqueConstraint(
                fields=["seller", "checkout_ref"],
                condition=~models.Q(checkout_ref=""),
                name="order_checkout_ref_once",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_minor__gte=0)
                & models.Q(refunded_minor__lte=models.F("total_minor")),
                name="order_refunded_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "placed_at"], name="order_seller_time_idx"),
            models.Index(fields=["status", "delivered_at"], name="order_status_delivered_idx"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @cached_property
    def ship_to(self) -> dict[str, str]:
        """Where the order ships: the sealed address with its country; only the country once
        the buyer is erased (or for an imported order, which never had more)."""
        record = None
        if self.person_id is not None and self.ship_to_sealed is not None:
            record = person_unseal(self.person, self.ship_to_sealed, purpose=self.ship_purpose)
        address = {k: str(v) for k, v in (record or {}).items() if v}
        if self.ship_country:
            address["country"] = self.ship_country
        return address

    @property
    def ship_purpose(self) -> str:
        return f"order:{self.public_id}"


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
    # Units put into shipments (0002); written by orders.services.order_lines_ship only.
    # db_default: the importer's raw multi-row INSERT (core.bulk.insert_plain) names no new column.
    fulfilled_quantity = models.PositiveIntegerField(default=0, db_default=0)
    discount_minor = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["order", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="line_no_once_per_order"),
            models.CheckConstraint(
                condition=models.Q(returned_quantity__lte=models.F("quantity")),
                name="returned_at_most_bought",
            ),
            models.CheckConstraint(
                condition=models.Q(fulfilled_quantity__lte=models.F("quantity")),
                name="shipped_at_most_bought",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} x {self.quantity}"


class OrderRefund(models.Model):
    """One refund payments made on an order, by its reference (``ref_…`` from payments), so
    recording the same refund twice (a retried call, a replayed event) adds it once."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    refund_ref = models.CharField(max_length=64, unique=True)
    amount_minor = models.BigIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="order_refund_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.refund_ref} {self.amount_minor}"


class OrderReturn(models.Model):
    """Goods coming back (or a cancellation after the sale) against lines of one order."""

    class Status(models.TextChoices):
        REQUESTED = "requested"
        APPROVED = "approved"
        RECEIVED = "received"
        REFUNDED = "refunded"
        REJECTED = "rejected"

    class Reason(models.TextChoices):
        DAMAGED = "damaged"
        WRONG_ITEM = "wrong_item"
        NOT_AS_DESCRIBED = "not_as_described"
        CHANGED_MIND = "changed_mind"
        OTHER = "other"

    class RequestedBy(models.TextChoices):
        BUYER = "buyer"
        SELLER = "seller"

    public_id = PublicIdField(prefix="ret")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    status = models.CharField(max_length=10, choices=Status)
    reason = models.CharField(max_length=200, blank=True)  # imports: the cancellation invoice
    external_ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    # Live returns (0002); imported returns keep the defaults.
    reason_code = models.CharField(max_length=20, choices=Reason, blank=True)
    details = models.TextField(blank=True)  # the requester's own words
    requested_by = models.CharField(max_length=10, choices=RequestedBy, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)  # why approved or rejected
    refunded_minor = models.BigIntegerField(default=0)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.public_id


class OrderReturnLine(models.Model):
    order_return = models.ForeignKey(OrderReturn, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    external_ref = models.CharField(max_length=64, blank=True)

    class Condition(models.TextChoices):
        AS_NEW = "as_new"
        OPENED = "opened"
        DAMAGED = "damaged"

    class Disposition(models.TextChoices):
        RESTOCK = "restock"
        WRITE_OFF = "write_off"

    # Filled when the goods arrive back (0002): what state they came in and where they went.
    condition = models.CharField(max_length=10, choices=Condition, blank=True)
    disposition = models.CharField(max_length=10, choices=Disposition, blank=True)
    location = models.ForeignKey(
        "inventory.StockLocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

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
