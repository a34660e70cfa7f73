"""Who is using the seller center and for which seller.

A signed-in user works for the sellers they are staff of (``marketplace.SellerStaff``); the one
in use is kept in the session, so a person who works for two shops switches between them
without their URLs changing. Every page asks for the scope it reads or writes with
``require_seller_access`` (the same rule the services apply), so a fulfilment clerk sees orders
but not money, and refusals look the same on a page as in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agora.accounts.services import actor_for_user
from agora.core.actors import Actor
from agora.core.errors import FORBIDDEN, NOT_FOUND, AgoraError
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.permissions import require_seller_access
from agora.marketplace.selectors import seller_roles_of

SESSION_KEY = "sellercenter.seller"


@dataclass(frozen=True)
class SellerDesk:
    """The seller the request acts for, the user's role there, and their other memberships."""

    seller: Seller
    role: str
    actor: Actor
    memberships: list[SellerStaff]


def desk_for(request: HttpRequest) -> SellerDesk | None:
    """The chosen membership (the session's choice if still valid, else the first), or None for
    a user who works for no seller."""
    memberships = sorted(seller_roles_of(user_id=request.user.pk), key=lambda m: m.seller_id)
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in memberships if m.seller.public_id == chosen), memberships[0])
    actor = actor_for_user(request.user, seller_id=membership.seller_id)  # type: ignore[arg-type]
    return SellerDesk(membership.seller, membership.role, actor, memberships)


def choose_seller(request: HttpRequest, public_id: str) -> bool:
    """Switches the session to another seller the user works for; False if they do not."""
    if any(m.seller.public_id == public_id for m in seller_roles_of(user_id=request.user.pk)):
        request.session[SESSION_KEY] = public_id
        return True
    return False


def forbidden(request: HttpRequest, detail: str = "") -> HttpResponse:
    return render(request, "sellercenter/forbidden.html", {"detail": detail}, status=403)


def seller_page(
    scope: str | None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorates a seller-center view: sign-in required, a seller chosen (or the apply page),
    ``scope`` checked for that seller (None: any role may see it); sets ``request.desk``.
    A service's not-found (another
    seller's object) becomes a 404 and a refused role a 403 page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            desk = desk_for(request)
            if desk is None:
                return redirect("sellercenter:apply")
            try:
                if scope is not None:
                    require_seller_access(desk.actor, desk.seller, scope)
            except AgoraError as exc:
                return forbidden(request, str(exc))
            request.desk = desk  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except AgoraError as exc:
                if exc.problem == NOT_FOUND:
                    raise Http404(str(exc)) from exc
                if exc.problem == FORBIDDEN:
                    return forbidden(request, str(exc))
                raise

        return wrapper

    return decorate


def found(obj: Any) -> Any:
    """The object a tenant-scoped selector returned, or a 404 (another seller's id included)."""
    if obj is None:
        raise Http404("not found")
    return obj


def owned[T](request: HttpRequest, lookup: Callable[..., T | None], public_id: str) -> T:
    """The object ``lookup`` (a tenant-scoped ``*_get_for_seller`` selector) finds for the
    request's seller, or a 404: another seller's id looks exactly like an unknown one."""
    return found(lookup(seller=request.desk.seller, public_id=public_id))  # type: ignore[attr-defined]
