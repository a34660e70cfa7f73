"""Part S1: the delivery footprint's tables.

``DeliveryMethodProfile`` says which legs (transport modes) a shipping method's parcels take,
keyed by the method's public id: commerce never imports this app, so the link is the id, not a
foreign key. ``OrderDeliveryFootprint`` keeps each paid order's figure with everything it was
computed from, so an order's footprint never changes when factors are revised later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField

__all__ = ["DeliveryMethodProfile", "OrderDeliveryFootprint"]


class DeliveryMethodProfile(models.Model):
    method_public_id = models.CharField(max_length=40, unique=True)
    # [{"mode": "rail_freight", "share": "0.9"}, {"mode": "van_diesel", "share": "0.1"}]
    legs = models.JSONField(default=list)
    inferred = models.BooleanField(default=True, help_text="guessed from the name, not set")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "delivery method profile"

    def __str__(self) -> str:
        return f"{self.method_public_id}: {', '.join(leg['mode'] for leg in self.legs)}"


class OrderDeliveryFootprint(models.Model):
    public_id = PublicIdField(prefix="dfp")
    order_public_id = models.CharField(max_length=40, unique=True)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    buyer_ref = models.CharField(max_length=64, blank=True, db_index=True)
    seller_public_id = models.CharField(max_length=40)
    method_public_id = models.CharField(max_length=40, blank=True)
    method_name = models.CharField(max_length=100, blank=True)
    modes = models.CharField(max_length=200, help_text="the legs' modes, comma-separated")
    origin_country = models.CharField(max_length=2, blank=True)
    destination_country = models.CharField(max_length=2, blank=True)
    distance_km = models.DecimalField(max_digits=12, decimal_places=3)
    weight_kg = models.DecimalField(max_digits=12, decimal_places=3)
    kg_co2e = models.DecimalField(max_digits=14, decimal_places=3)
    legs = models.JSONField(default=list, help_text="per leg: mode, km, factor, kg CO2e, source")
    factor_source = models.TextField()
    placed_at = models.DateTimeField(db_index=True)
    recorded_at = models.DateTimeField()
    event_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["buyer", "placed_at"], name="sus_dfp_buyer_placed")]

    def __str__(self) -> str:
        return f"{self.order_public_id}: {self.kg_co2e} kg CO2e"
