"""API keys a buyer issues for their own scripts and apps ("developers" in the account pages).

A buyer key acts for one user and is read-only: the only scope it can hold is
:data:`BUYER_SCOPES` (``orders:read``: the buyer's own orders and cart through the buyer
endpoints, ``GET /api/v1/me/orders``). It never acts for a seller (a database constraint), so
the seller endpoints refuse it, and it cannot check out or change anything: writes stay with the
signed-in session and its CSRF token. Issued, listed and revoked only by its owner.
"""

from __future__ import annotations

from django.db import transaction

from agora.accounts.models import ApiKey, User
from agora.accounts.services import actor_for_user, api_key_issue, api_key_revoke
from agora.core.errors import invalid, not_found
from agora.core.ids import is_public_id

BUYER_SCOPES = ("orders:read",)
MAX_ACTIVE_KEYS = 10  # per buyer


def buyer_api_key_list(*, user: User) -> list[ApiKey]:
    """The user's own keys, newest first, revoked ones included (they show as revoked)."""
    return list(ApiKey.objects.filter(kind=ApiKey.Kind.BUYER, user=user).order_by("-created_at"))


def buyer_api_key_issue(*, user: User, name: str) -> tuple[ApiKey, str]:
    """Issues a read-only key for ``user``; returns it with the token, shown this once."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time
        active = ApiKey.objects.filter(
            kind=ApiKey.Kind.BUYER, user=user, revoked_at__isnull=True
        ).count()
        if active >= MAX_ACTIVE_KEYS:
            raise invalid(
                "name", f"you have {active} active keys; revoke one before issuing another"
            )
        key, token = api_key_issue(
            actor=actor_for_user(user),
            name=name,
            scopes=list(BUYER_SCOPES),
            seller_id=None,
            created_by=user,
        )
        key.kind, key.user = ApiKey.Kind.BUYER, user
        key.save(update_fields=["kind", "user"])
    return key, token


def buyer_api_key_revoke(*, user: User, public_id: str) -> ApiKey:
    """Revokes one of ``user``'s keys (another user's key is "not found"). Idempotent."""
    key = (
        ApiKey.objects.filter(kind=ApiKey.Kind.BUYER, user=user, public_id=public_id).first()
        if is_public_id(public_id, "key")
        else None
    )
    if key is None:
        raise not_found("API key", public_id)
    return api_key_revoke(actor=actor_for_user(user), key=key)
