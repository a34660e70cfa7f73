"""Rental tables: what a seller offers for rent, the physical units, bookings, the days each
booking holds, the deposit and damage claims.

Dates are half-open ``[start_date, end_date)``: a booking holds the days from ``start_date`` up
to, but not including, ``end_date``, which is the day the unit is due back. So a booking ending on
the 10th and another starting on the 10th do not overlap (the unit comes back in the morning and
goes out again), and ``end_date - start_date`` is the number of rented days.

**No unit is ever booked twice** is a database rule, not a check-then-insert: every booked day is
a :class:`RentalDay` row and ``(unit, day)`` is UNIQUE, so of two transactions booking the same
day of one unit exactly one can commit, on SQLite and PostgreSQL alike. The days are written in
the booking's own transaction and deleted when the booking is cancelled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from agora.core.ids import PublicIdField


class RentalOffer(models.Model):
    """A product (or one of its variants) offered for rent by the day and/or by the month."""

    public_id = PublicIdField(prefix="rof")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    currency = models.CharField(max_length=3)
    price_per_day_minor = models.BigIntegerField(null=True, blank=True)
    price_per_month_minor = models.BigIntegerField(null=True, blank=True)
    deposit_minor = models.BigIntegerField(default=0)
    late_fee_per_day_minor = models.BigIntegerField(default=0)
    min_days = models.PositiveIntegerField(default=1)
    max_days = models.PositiveIntegerField(default=365)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_per_day_minor__isnull=False)
                | Q(price_per_month_minor__isnull=False),
                name="rental_offer_has_price",
            ),
            models.CheckConstraint(
                condition=Q(min_days__gte=1) & Q(max_days__gte=models.F("min_days")),
                name="rental_offer_days_range",
            ),
            models.CheckConstraint(
                condition=Q(deposit_minor__gte=0) & Q(late_fee_per_day_minor__gte=0),
                name="rental_offer_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id


class RentalUnit(models.Model):
    """One physical item that can be rented, optionally named by its GS1 serial (GTIN + serial
    string, as traceability knows it; no foreign key so circular stays independent)."""

    public_id = PublicIdField(prefix="run")
    offer = models.ForeignKey(RentalOffer, on_delete=models.CASCADE, related_name="units")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=100)
    gtin = models.CharField(max_length=14, blank=True)
    serial = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "label"], name="rental_unit_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.public_id})"


class RentalBooking(models.Model):
    """One renter's booking of one unit for ``[start_date, end_date)``, with the prices agreed
    when it was made (the offer may change later)."""

    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment"  # days held; the deposit and rent are being charged
        RESERVED = "reserved"
        ACTIVE = "active"  # handed over
        RETURNED = "returned"
        INSPECTED = "inspected"  # a damage claim is open
        CLOSED = "closed"
        CANCELLED = "cancelled"

    public_id = PublicIdField(prefix="rbk")
    offer = models.ForeignKey(RentalOffer, on_delete=models.PROTECT, related_name="bookings")
    unit = models.ForeignKey(RentalUnit, on_delete=models.PROTECT, related_name="bookings")
    seller = models.ForeignKey("marketplace.Seller", on_delete=models.PROTECT, related_name="+")
    renter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rental_bookings"
    )
    start_date = models.DateField()
    end_date = models.DateField()  # exclusive: the day the unit is due back
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING_PAYMENT)
    currency = models.CharField(max_length=3)
    rent_minor = models.BigIntegerField()
    months = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)
    deposit_minor = models.BigIntegerField()
    late_fee_per_day_minor = models.BigIntegerField(default=0)
    late_days = models.PositiveIntegerField(default=0)
    late_fee_minor = models.BigIntegerField(default=0)
    payment_method = models.CharField(max_length=64, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "status"], name="rental_booking_seller")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="rental_booking_dates"
            )
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def hold_reference(self) -> str:
        """The escrow account's owner in the payments ledger for this booking's money."""
        return self.public_id


class RentalDay(models.Model):
    """One day of one unit held by one booking: the row whose UNIQUE key forbids double
    booking (see the module docstring)."""

    unit = models.ForeignKey(RentalUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    booking = models.ForeignKey(RentalBooking, on_delete=models.CASCADE, related_name="held_days")

    class Meta:
        ordering = ["unit", "day"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="rental_day_unit_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.day.isoformat()}"


class RentalDeposit(models.Model):
    """The booking's deposit, held in escrow (the payments ledger) with the rent until the
    return inspection settles it: released in full, or partly kept with a reason."""

    class State(models.TextChoices):
        PENDING = "pending"  # being charged
        HELD = "held"
        SETTLING = "settling"  # the refund is with the provider; finished by a retry
        RELEASED = "released"
        PARTLY_KEPT = "partly_kept"
        KEPT = "kept"  # everything kept (late fees and damage used it up)
        REFUNDED = "refunded"  # booking cancelled before hand-over: deposit and rent back
        FAILED = "failed"  # the charge was declined

    booking = models.OneToOneField(RentalBooking, on_delete=models.CASCADE, related_name="deposit")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    state = models.CharField(max_length=12, choices=State, default=State.PENDING)
    kept_minor = models.BigIntegerField(default=0)
    kept_reason = models.CharField(max_length=300, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"deposit {self.state} ({self.booking_id})"


class DamageClaim(models.Model):
    """The seller's claim on the deposit after inspection; the renter may accept or dispute it
    (an operator then decides)."""

    class Status(models.TextChoices):
        OPEN = "open"
        ACCEPTED = "accepted"
        DISPUTED = "disputed"
        RESOLVED = "resolved"  # an operator decided the disputed amount

    public_id = PublicIdField(prefix="rdc")
    booking = models.OneToOneField(
        RentalBooking, on_delete=models.CASCADE, related_name="damage_claim"
    )
    amount_minor = models.BigIntegerField()
    decided_minor = models.BigIntegerField(null=True, blank=True)
    description = models.TextField(max_length=2000)
    photos = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    dispute_reason = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="damage_claim_positive")
        ]

    def __str__(self) -> str:
        return self.public_id
