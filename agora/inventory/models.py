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
