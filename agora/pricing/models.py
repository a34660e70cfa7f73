"""Prices per variant per currency, and the history of every change to them."""

from __future__ import annotations

from django.db import models


class Price(models.Model):
    """The current price of a variant in one currency, in minor units."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="prices")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "currency"], name="one_price_per_currency"),
            models.CheckConstraint(
                condition=models.Q(amount_minor__gte=0), name="price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor} {self.currency}"


class PriceChange(models.Model):
    """Append-only: one row per change of a variant's price in a currency, with when it took
    effect. ``amount_minor`` is null when the price was withdrawn. The EU 30-day prior price is
    computed from these rows."""

    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(null=True)
    effective_at = models.DateTimeField()
    source = models.CharField(max_length=20, default="api")
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["variant", "currency", "effective_at"], name="price_history_idx")
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor} {self.currency} from {self.effective_at:%Y-%m-%d %H:%M}"
