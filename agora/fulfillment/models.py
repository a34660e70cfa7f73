"""Carriers, shipments of an order's lines from a stock location, and their status history."""

from __future__ import annotations

from django.db import models

from agora.core.ids import PublicIdField
from agora.fulfillment.states import ShipmentState


class Carrier(models.Model):
    """A carrier the operator configured. ``tracking_url_template`` holds ``{tracking_number}``,
    e.g. ``https://www.dhl.de/track?piececode={tracking_number}``."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    tracking_url_template = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name

    def tracking_url(self, tracking_number: str) -> str:
        if not self.tracking_url_template or not tracking_number:
            return ""
        return self.tracking_url_template.replace("{tracking_number}", tracking_number)


class Shipment(models.Model):
    public_id = PublicIdField(prefix="shp")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="shipments")
    location = models.ForeignKey(
        "inventory.StockLocation", on_delete=models.PROTECT, related_name="+"
    )
    carrier = models.ForeignKey(
        Carrier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tracking_number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in ShipmentState])
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["seller", "status"], name="shipment_seller_status_idx")]

    def __str__(self) -> str:
        return self.public_id

    @property
    def tracking_url(self) -> str:
        return self.carrier.tracking_url(self.tracking_number) if self.carrier else ""


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "order_line"], name="order_line_once_per_shipment"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="ships_a_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.order_line_id}"


class ShipmentEvent(models.Model):
    """One status report: ``at`` is when it happened (the carrier's time), ``recorded_at`` when
    we learnt it."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=[(s.value, s.value) for s in ShipmentState])
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["shipment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"
