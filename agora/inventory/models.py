"""Where goods are and how many: locations, stock levels, and the movement ledger behind them."""

from __future__ import annotations

from django.db import models

from agora.core.ids import PublicIdField


class StockLocation(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse"
        STORE = "store"
        SUPPLIER = "supplier", "supplier drop-ship"

    public_id = PublicIdField(prefix="loc")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_available = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """On hand and reserved units of a variant at a location; available = on hand - reserved."""

    location = models.ForeignKey(StockLocation, on_delete=models.CASCADE, related_name="levels")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="stock")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "variant"], name="one_level_per_location"),
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=0)
                & models.Q(reserved__gte=0)
                & models.Q(reserved__lte=models.F("on_hand")),
                name="stock_never_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.location_id}: {self.on_hand} on hand, {self.reserved} held"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """The ledger that explains on-hand: every change is a signed quantity with a kind."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt"
        SALE = "sale"
        RETURN = "return"
        ADJUSTMENT = "adjustment"
        TRANSFER = "transfer"

    location = models.ForeignKey(StockLocation, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    quantity = models.IntegerField(help_text="signed change of on-hand")
    reference = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["variant", "location", "at"], name="movement_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} of {self.variant_id}@{self.location_id}"


class StockPolicy(models.Model):
    """Per-variant stock settings. ``low_stock_threshold``: ``stock.low`` is published when the
    variant's available units (over open locations) fall from at least this to below it; 0 turns
    the alert off."""

    variant = models.OneToOneField(
        "catalog.Variant", on_delete=models.CASCADE, related_name="stock_policy"
    )
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    low_stock_threshold = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "stock policies"

    def __str__(self) -> str:
        return f"{self.variant_id}: low below {self.low_stock_threshold}"


class Reservation(models.Model):
    """Units held at one location for a checkout until it is paid (converted into a sale),
    given up (released) or left too long (expired). While active it counts in the level's
    ``reserved``; the allocation rule and its reason say why this location was chosen."""

    class State(models.TextChoices):
        ACTIVE = "active"
        CONVERTED = "converted"
        RELEASED = "released"
        EXPIRED = "expired"

    public_id = PublicIdField(prefix="rsv")
    reference = models.CharField(max_length=100, help_text="the checkout or cart it holds for")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State, default=State.ACTIVE)
    rule = models.CharField(max_length=20, help_text="the allocation rule that chose the location")
    reason = models.CharField(max_length=500)
    order_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["reference", "state"], name="reservation_reference_idx"),
            models.Index(fields=["state", "expires_at"], name="reservation_expiry_idx"),
            models.Index(fields=["variant", "location", "state"], name="reservation_level_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="reservation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.state}: {self.quantity} of {self.variant_id}"
