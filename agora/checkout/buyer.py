"""Reads for the buyer API: a buyer's (or this guest session's) checkouts and orders. A checkout
or order of anyone else is None, which the API answers with 404."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest

from agora.checkout.auth import BuyerIdentity
from agora.checkout.flow.place import owner_of
from agora.checkout.models import Checkout
from agora.checkout.signals import GUEST_CART_SESSION_KEY
from agora.core.ids import is_public_id
from agora.core.pagination import Page, paginate
from agora.orders.models import Order, OrderLine


def request_owner(request: HttpRequest) -> str | None:
    """The checkout owner of this request: the signed-in buyer, or the guest session's cart
    token (None when this session never had a cart, so it owns nothing)."""
    identity: BuyerIdentity = request.auth  # type: ignore[attr-defined]
    if identity.user is not None:
        return owner_of(buyer=identity.user)
    token = request.session.get(GUEST_CART_SESSION_KEY)
    return owner_of(buyer=None, guest_token=token) if token else None


def checkout_get_for_owner(*, owner: str | None, public_id: str) -> Checkout | None:
    if owner is None or not is_public_id(public_id, "chk"):
        return None
    return (
        Checkout.objects.select_related("payment").filter(owner=owner, public_id=public_id).first()
    )


def checkout_get_by_key(*, owner: str | None, idempotency_key: str) -> Checkout | None:
    """The checkout this owner started with ``idempotency_key`` (a form sent twice), or None."""
    if owner is None or not idempotency_key:
        return None
    return Checkout.objects.filter(owner=owner, idempotency_key=idempotency_key).first()


def checkout_orders(checkout: Checkout) -> list[Order]:
    return list(
        Order.objects.filter(checkout_ref=checkout.public_id)
        .select_related("seller")
        .order_by("pk")
    )


def _buyer_orders(owner: str | None, user: object | None) -> QuerySet[Order]:
    refs = Checkout.objects.filter(owner=owner).values("public_id") if owner else None
    which = Q(pk__in=[])
    if user is not None:
        which |= Q(buyer=user)
    if refs is not None:
        which |= Q(checkout_ref__in=refs)
    return (
        Order.objects.filter(which)
        .exclude(checkout_ref="")
        .select_related("buyer", "seller")
        .prefetch_related(
            Prefetch(
                "lines", queryset=OrderLine.objects.select_related("variant").order_by("line_no")
            )
        )
    )


def order_list_for_buyer(
    *, owner: str | None, user: object | None, cursor: str | None, limit: int
) -> Page:
    """The buyer's orders, newest first (cursor-paginated)."""
    return paginate(_buyer_orders(owner, user), cursor=cursor, limit=limit)


def order_get_for_buyer(*, owner: str | None, user: object | None, public_id: str) -> Order | None:
    if not is_public_id(public_id, "ord"):
        return None
    return _buyer_orders(owner, user).filter(public_id=public_id).first()
