"""Captured EPCIS 2.0 events, the capture jobs that brought them, and the identifiers they name.

An event is stored as captured (``document``, with the capturing document's ``@context`` so it
stays valid JSON-LD on its own), next to the columns the EPCIS query filters on. Its canonical
bytes are the transparency log's entry ``epcis_event/<event_id>`` (``log_index``), so the row
is immutable once written: a correction is a new event (an EPCIS error declaration), never an
update.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.ids import PublicIdField

__all__ = ["EpcisCapture", "EpcisEvent", "EpcisIdentifier"]


class Source(models.TextChoices):
    API = "api", _("API")
    UPLOAD = "upload", _("seller center (file or form)")
    COMMERCE = "commerce", _("commerce event")


class EpcisCapture(models.Model):
    """One accepted capture request (the EPCIS REST binding's "capture job"). Captures are
    synchronous here, so a job exists only once it succeeded; a rejected document stores
    nothing and is answered with its problems."""

    public_id = PublicIdField(prefix="cap")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField()
    # The public event ids of the document, in document order (new and already known ones).
    event_ids = models.JSONField(default=list)
    new_events = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["seller", "public_id"], name="epcis_capture_seller_idx")]

    def __str__(self) -> str:
        return self.public_id


class EpcisEvent(models.Model):
    """One EPCIS event as captured. ``event_id`` is its stable public id: the document's
    ``eventID`` or, when it had none, an ``ni:///sha-256;…?ver=CBV2.0`` hash of its bytes."""

    public_id = PublicIdField(prefix="epcev")  # record order, for cursor pagination
    event_id = models.CharField(max_length=500, unique=True)
    capture = models.ForeignKey(EpcisCapture, on_delete=models.PROTECT, related_name="events")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    event_type = models.CharField(max_length=32)
    action = models.CharField(max_length=10, blank=True)
    biz_step = models.CharField(max_length=300, blank=True)
    disposition = models.CharField(max_length=300, blank=True)
    read_point = models.CharField(max_length=500, blank=True)
    biz_location = models.CharField(max_length=500, blank=True)
    event_time = models.DateTimeField()
    event_tz_offset = models.CharField(max_length=6)
    record_time = models.DateTimeField()
    # SHA-256 (hex) of the canonical bytes of the event without @context: the same eventID
    # sent again with this content is the same event; with other content it is a conflict.
    content_hash = models.CharField(max_length=64)
    document = models.JSONField()
    log_index = models.BigIntegerField(unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["seller", "public_id"], name="epcis_event_seller_idx"),
            models.Index(fields=["event_time"], name="epcis_event_time_idx"),
            models.Index(fields=["biz_step"], name="epcis_event_bizstep_idx"),
            models.Index(fields=["disposition"], name="epcis_event_disp_idx"),
            models.Index(fields=["biz_location"], name="epcis_event_bizloc_idx"),
            models.Index(fields=["read_point"], name="epcis_event_readpt_idx"),
        ]

    def __str__(self) -> str:
        return self.event_id


class EpcisIdentifier(models.Model):
    """An identifier an event names, in the role the EPCIS query distinguishes, with the GTIN,
    serial and lot read from it so products and batches can be found without parsing JSON."""

    class Role(models.TextChoices):
        EPC = "epc", "epcList"
        PARENT = "parent", "parentID"
        CHILD = "child", "childEPCs"
        INPUT = "input", "inputEPCList"
        OUTPUT = "output", "outputEPCList"
        QUANTITY = "quantity", "quantityList"
        CHILD_QUANTITY = "child_qty", "childQuantityList"
        INPUT_QUANTITY = "input_qty", "inputQuantityList"
        OUTPUT_QUANTITY = "output_qty", "outputQuantityList"

    event = models.ForeignKey(EpcisEvent, on_delete=models.CASCADE, related_name="identifiers")
    role = models.CharField(max_length=10, choices=Role.choices)
    uri = models.CharField(max_length=2000)
    # The identity in one form whatever the spelling (EPC URN or Digital Link): "01/<gtin>",
    # "01/<gtin>/21/<serial>", "01/<gtin>/10/<lot>", "00/<sscc>", else the URI itself.
    key = models.CharField(max_length=2000)
    gtin = models.CharField(max_length=14, blank=True)
    serial = models.CharField(max_length=80, blank=True)
    lot = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["key", "role"], name="epcis_ident_key_idx"),
            models.Index(fields=["gtin", "serial"], name="epcis_ident_gtin_serial_idx"),
            models.Index(fields=["gtin", "lot"], name="epcis_ident_gtin_lot_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.uri}"
