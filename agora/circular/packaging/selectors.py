"""Reads of reusable packaging for the seller center, checkout's offer and the order page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from agora.circular.models import PackagingChoice, PackagingType, PackagingUse, ReusablePackage
from agora.marketplace.models import Seller


def types_for_seller(*, seller: Seller) -> QuerySet[PackagingType]:
    """The seller's packaging types with their package count, loops and packages out."""
    return (
        PackagingType.objects.filter(seller=seller)
        .annotate(
            package_count=Count("packages"),
            loop_count=Sum("packages__loops"),
            out_count=Count("packages", filter=Q(packages__state=ReusablePackage.State.OUT)),
        )
        .order_by("name")
    )


def package_for_seller(*, seller: Seller, public_id: str) -> ReusablePackage | None:
    return ReusablePackage.objects.filter(seller=seller, public_id=public_id).first()


def latest_use_of_package(*, seller: Seller, public_id: str) -> PackagingUse | None:
    """The trip a package is on, else its last one (whose return says the deposit was
    refunded already); None when it never went out."""
    return (
        PackagingUse.objects.filter(seller=seller, package__public_id=public_id)
        .select_related("package")
        .order_by("-shipped_at", "-pk")
        .first()
    )


def uses_out(*, seller: Seller, limit: int = 50) -> list[PackagingUse]:
    """Packages out with buyers, oldest first (the ones to chase)."""
    return list(
        PackagingUse.objects.filter(seller=seller, state=PackagingUse.State.OUT)
        .select_related("package__type")
        .order_by("shipped_at")[:limit]
    )


@dataclass(frozen=True)
class ReusableOffer:
    """What checkout offers for one seller's order: ship it in this type, for this deposit."""

    ptype: PackagingType
    deposit_minor: int
    currency: str


def reusable_offer(seller_public_id: str) -> ReusableOffer | None:
    """The seller's reusable packaging offer: its first active type with a deposit and a
    package available to send now; None when the seller has none (no checkbox at checkout)."""
    ptype = (
        PackagingType.objects.filter(
            seller__public_id=seller_public_id,
            active=True,
            deposit_minor__gt=0,
            packages__state=ReusablePackage.State.AVAILABLE,
        )
        .order_by("pk")
        .first()
    )
    if ptype is None:
        return None
    return ReusableOffer(ptype=ptype, deposit_minor=ptype.deposit_minor, currency=ptype.currency)


def choice_for_order(order_public_id: str) -> PackagingChoice | None:
    """The buyer's reusable packaging choice for an order (the order page shows its deposit)."""
    return PackagingChoice.objects.filter(order_public_id=order_public_id).first()
