"""Read queries of the marketplace."""

from __future__ import annotations

from agora.marketplace.models import Seller, SellerStaff


def seller_get(*, public_id: str) -> Seller | None:
    return Seller.objects.filter(public_id=public_id).first()


def seller_roles_of(*, user_id: int) -> list[SellerStaff]:
    return list(SellerStaff.objects.filter(user_id=user_id).select_related("seller"))
