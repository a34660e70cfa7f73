"""Digital product passports, serialised items, lots and authenticity certificates (part D).

A passport describes a catalogue product (origin, materials, certifications, repair, recycling,
carbon footprint); lots and traced items are the physical goods a GS1 Digital Link names
(``/01/<gtin>/10/<lot>``, ``/01/<gtin>/21/<serial>``). A certificate says one item is genuine
and who holds it; its canonical payload is signed and appended to the transparency log, so a
resale buyer can check it offline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField

__all__ = ["AuthenticityCertificate", "Lot", "Passport", "TracedItem"]


class Passport(models.Model):
    """What the EU's digital product passport asks a seller to say about a product."""

    public_id = PublicIdField(prefix="dpp")
    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="+")
    origin_country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    origin_region = models.CharField(max_length=120, blank=True)
    origin_facility = models.CharField(max_length=200, blank=True)
    manufacturer = models.CharField(max_length=200, blank=True)
    # [{"name": "stoneware clay", "share_percent": 92, "recycled_percent": 15}]
    materials = models.JSONField(default=list, blank=True)
    # [{"name", "issuer", "number", "url", "valid_until": "YYYY-MM-DD" | ""}]
    certifications = models.JSONField(default=list, blank=True)
    repair_text = models.TextField(blank=True)
    repair_url = models.URLField(blank=True)
    spare_parts_years = models.PositiveSmallIntegerField(null=True, blank=True)
    recycling_text = models.TextField(blank=True)
    carbon_kg_co2e = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    carbon_method = models.CharField(max_length=300, blank=True)
    # {"<13-digit GLN>": "Jingdezhen kiln"}: names for the places the EPCIS journey mentions.
    places = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.public_id


class Lot(models.Model):
    """A production batch of one variant (GS1 AI 10)."""

    public_id = PublicIdField(prefix="lot")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=20, help_text="GS1 AI 10: up to 20 characters")
    produced_on = models.DateField()
    best_before = models.DateField(null=True, blank=True)
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "code"], name="trace_lot_code_per_variant")
        ]

    def __str__(self) -> str:
        return self.code


class TracedItem(models.Model):
    """One serialised item (GS1 AI 21). ``gtin`` is the variant's GTIN as 14 digits, copied so
    the resolver finds ``/01/<gtin>/21/<serial>`` with one indexed lookup."""

    class Status(models.TextChoices):
        IN_STOCK = "in_stock"
        SOLD = "sold"
        RETURNED = "returned"
        RECALLED = "recalled"
        DESTROYED = "destroyed"

    public_id = PublicIdField(prefix="item")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="+")
    gtin = models.CharField(max_length=14)
    serial = models.CharField(max_length=20, help_text="GS1 AI 21: up to 20 characters")
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=12, choices=Status, default=Status.IN_STOCK)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gtin", "serial"], name="trace_item_gtin_serial")
        ]

    def __str__(self) -> str:
        return f"{self.gtin}/{self.serial}"


class AuthenticityCertificate(models.Model):
    """A signed statement that ``item`` is genuine and held by ``holder``.

    A transfer never edits a certificate: the old one becomes ``transferred`` and a new one
    (``previous`` pointing back) is issued to the buyer, so the chain of holders is in the log.
    The one-time transfer code is stored only as its SHA-256.
    """

    class Status(models.TextChoices):
        ACTIVE = "active"
        TRANSFERRED = "transferred"

    public_id = PublicIdField(prefix="cert")
    item = models.ForeignKey(TracedItem, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the payload names as holder: a pseudonym, never an email (the log is public).
    holder_ref = models.CharField(max_length=80)
    issued_at = models.DateTimeField()
    payload = models.BinaryField(help_text="RFC 8785 canonical JSON, the bytes signed and logged")
    signature = models.BinaryField(help_text="Ed25519 signature of payload")
    verifier_key = models.CharField(max_length=200, help_text="the signed-note verifier key")
    log_index = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.ACTIVE)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    transfer_code_hash = models.CharField(max_length=64, blank=True)
    transfer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="active"),
                name="trace_cert_one_active_per_item",
            )
        ]

    def __str__(self) -> str:
        return self.public_id
