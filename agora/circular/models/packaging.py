"""Part C4: reusable packaging tables.

A :class:`PackagingType` is a seller's kind of reusable package (a mailer, a box) with the
deposit the buyer pays back on return, how many loops it is expected to last, its mass, and
the cited figures it is compared with: the single-use alternative's kg CO2e per shipment and
the reusable package's own share per loop (copied from the factor file when the type is made,
with their sources, so a later revision of the file never rewrites past savings).

A :class:`ReusablePackage` is one physical package (its own public id, printed on it) with the
loops it has completed. A :class:`PackagingUse` is one trip: the package leaves with a
fulfilment shipment (linked by the shipment's public id; circular never holds a foreign key
into commerce's tables) and comes back empty, at a pick-up point or by courier.

**A deposit is refunded once**: the use moves ``out`` → ``returned`` under a row lock, and the
database holds the rule too: ``returned`` iff ``refunded_at`` is set, and at most one open use
per package (a package cannot be out twice).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.core.ids import PublicIdField


class PackagingType(models.Model):
    public_id = PublicIdField(prefix="pkt")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    deposit_minor = models.BigIntegerField()
    expected_loops = models.PositiveIntegerField()
    mass_grams = models.PositiveIntegerField()
    single_use_key = models.CharField(max_length=64)
    single_use_kg_co2e = models.DecimalField(max_digits=10, decimal_places=4)
    single_use_source = models.TextField()
    loop_key = models.CharField(max_length=64)
    loop_kg_co2e = models.DecimalField(max_digits=10, decimal_places=4)
    loop_source = models.TextField()
    manufacture_kg_co2e = models.DecimalField(max_digits=10, decimal_places=4, default=0)
    manufacture_source = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "name"], name="packaging_type_name_unique"),
            models.CheckConstraint(
                condition=Q(deposit_minor__gte=0) & Q(expected_loops__gte=1),
                name="packaging_type_deposit_loops",
            ),
            models.CheckConstraint(
                condition=~Q(single_use_source="") & ~Q(loop_source=""),
                name="packaging_type_cited",
            ),
            models.CheckConstraint(
                condition=Q(manufacture_kg_co2e=0) | ~Q(manufacture_source=""),
                name="packaging_type_manufacture_cited",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class ReusablePackage(models.Model):
    class State(models.TextChoices):
        AVAILABLE = "available"
        OUT = "out"  # travelling with a shipment, or waiting at the buyer's
        RETIRED = "retired"

    public_id = PublicIdField(prefix="rpk")
    type = models.ForeignKey(PackagingType, on_delete=models.PROTECT, related_name="packages")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State, default=State.AVAILABLE)
    loops = models.PositiveIntegerField(default=0, help_text="completed trips (returned)")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.public_id


class PackagingUse(models.Model):
    class State(models.TextChoices):
        OUT = "out"
        RETURNED = "returned"  # the empty package is back and the deposit refunded

    class Channel(models.TextChoices):
        PICKUP_POINT = "pickup_point", _("Pick-up point")
        COURIER = "courier", _("Courier")

    public_id = PublicIdField(prefix="pku")
    package = models.ForeignKey(ReusablePackage, on_delete=models.PROTECT, related_name="uses")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shipment_public_id = models.CharField(max_length=40, db_index=True)
    order_public_id = models.CharField(max_length=40)
    state = models.CharField(max_length=12, choices=State, default=State.OUT)
    currency = models.CharField(max_length=3)
    deposit_minor = models.BigIntegerField()
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    returned_via = models.CharField(max_length=16, choices=Channel, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    kg_co2e_avoided = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "refunded_at"], name="packaging_use_seller")]
        constraints = [
            models.UniqueConstraint(
                fields=["package"], condition=Q(state="out"), name="packaging_use_one_open"
            ),
            models.UniqueConstraint(
                fields=["package", "shipment_public_id"], name="packaging_use_once_per_shipment"
            ),
            models.CheckConstraint(
                condition=(Q(state="out") & Q(refunded_at__isnull=True) & Q(returned_via=""))
                | (Q(state="returned") & Q(refunded_at__isnull=False) & ~Q(returned_via="")),
                name="packaging_use_refunded_iff_returned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package.public_id} with {self.shipment_public_id}"


class PackagingChoice(models.Model):
    """The buyer's consent at checkout to receive one order in reusable packaging, and the
    deposit that consent charges (a payments hold named by this row's public id).

    ``pending`` (chosen; charged once the order is paid) → ``held`` (the card paid the deposit
    into escrow) | ``declined`` (nothing charged; ``decline_reason`` says why). ``held`` →
    ``used`` (a package went out with the order and took this deposit) | ``released`` (the
    seller shipped without one: refunded). ``used`` → ``refunded`` (the empty package came
    back) | ``kept`` (not back in time: the seller keeps it, less commission).
    ``settled_at`` is set once the hold is emptied; a decision taken without it (a provider
    that failed) is finished by the sweep.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Deposit waiting for the payment")
        HELD = "held", _("Deposit paid")
        DECLINED = "declined", _("Deposit declined")
        USED = "used", _("Package on its way; deposit refunded when you return it")
        REFUNDED = "refunded", _("Package returned; deposit refunded")
        KEPT = "kept", _("Package not returned in time; deposit kept")
        RELEASED = "released", _("Shipped without reusable packaging; deposit refunded")

    public_id = PublicIdField(prefix="pkc")
    order_public_id = models.CharField(max_length=40, unique=True)
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.ForeignKey(PackagingType, on_delete=models.PROTECT, related_name="choices")
    use = models.OneToOneField(
        PackagingUse, null=True, blank=True, on_delete=models.PROTECT, related_name="choice"
    )
    deposit_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    decline_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    charged_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "settled_at"], name="packaging_choice_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_minor__gt=0), name="packaging_choice_deposit_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="declined") | Q(decline_reason=""),
                name="packaging_choice_reason_if_declined",
            ),
            models.CheckConstraint(
                condition=Q(use__isnull=True) | Q(status__in=["used", "refunded", "kept"]),
                name="packaging_choice_use_if_used",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} for {self.order_public_id}"
