"""Who may act for a seller. Services call :func:`require_seller_access` before any write."""

from __future__ import annotations

from agora.accounts.errors import SCOPE_MISSING
from agora.core.actors import Actor
from agora.core.errors import FORBIDDEN, AgoraError
from agora.marketplace.models import Seller, SellerStaff

# Which staff roles may use which scope family.
_ROLE_FAMILIES = {
    SellerStaff.Role.OWNER: {"catalog", "pricing", "inventory", "orders", "webhooks", "sellers"},
    SellerStaff.Role.MANAGER: {"catalog", "pricing", "inventory", "orders", "webhooks"},
    SellerStaff.Role.CATALOG: {"catalog", "pricing", "inventory"},
    SellerStaff.Role.FULFILMENT: {"inventory", "orders"},
}


def require_seller_access(actor: Actor, seller: Seller, scope: str) -> None:
    """Raises unless ``actor`` may use ``scope`` (e.g. ``catalog:write``) for ``seller``.

    API keys act only for their own seller (callers look objects up tenant-scoped first, so
    another seller's object is a 404 before it gets here); staff need a role that covers the
    scope family; operators and system jobs may act for any seller.
    """
    if actor.kind == "system" or actor.is_operator:
        return
    family = scope.partition(":")[0]
    if actor.kind == "api_key":
        if actor.seller_id != seller.pk:
            raise AgoraError(FORBIDDEN, "this API key does not act for that seller")
        if not actor.can(scope):
            raise AgoraError(SCOPE_MISSING, f"this API key lacks the scope {scope!r}")
        return
    role = (
        SellerStaff.objects.filter(seller=seller, user_id=actor.user_id)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or family not in _ROLE_FAMILIES[SellerStaff.Role(role)]:
        raise AgoraError(FORBIDDEN, f"{actor.label} may not use {scope} for {seller.display_name}")
