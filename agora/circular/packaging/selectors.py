"""Reads of reusable packaging for the seller center."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from agora.circular.models import PackagingType, PackagingUse, ReusablePackage
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
