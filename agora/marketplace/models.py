"""Sellers (the tenants of the marketplace) and the people who work for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from agora.core.ids import PublicIdField
from agora.marketplace.states import SellerState


class Seller(models.Model):
    public_id = PublicIdField(prefix="sel")
    slug = models.SlugField(max_length=80, unique=True)
    display_name = models.CharField(max_length=150)
    legal_name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    vat_id = models.CharField(
        max_length=32, blank=True, help_text="Normalised, with country prefix"
    )
    payout_currency = models.CharField(max_length=3)
    # Platform commission in basis points (1000 = 10.00 %), overridable per category in catalog.
    commission_bps = models.PositiveIntegerField(default=1000)
    state = models.CharField(max_length=10, choices=[(s.value, s.value) for s in SellerState])
    state_changed_at = models.DateTimeField()
    # Why the operator suspended or rejected the seller, shown to the seller; empty otherwise.
    state_reason = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_bps__lte=10000),
                name="seller_commission_at_most_100pct",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.state == SellerState.ACTIVE


class SellerStaff(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner"
        MANAGER = "manager"
        CATALOG = "catalog", "catalog editor"
        FULFILMENT = "fulfilment"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_roles"
    )
    role = models.CharField(max_length=12, choices=Role)
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="one_role_per_seller_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.seller}"
