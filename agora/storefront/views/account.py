"""Account pages: sign up, the account overview, password, saved addresses and the buyer's own
API keys. Every write is an ``agora.accounts`` service; signing up logs the buyer in, which
merges the guest cart and claims this session's guest orders (checkout's login receiver).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts.addresses import (
    AddressInput,
    address_create,
    address_delete,
    address_get,
    address_list,
    address_set_default,
    address_update,
)
from agora.accounts.buyer_keys import (
    BUYER_SCOPES,
    buyer_api_key_issue,
    buyer_api_key_list,
    buyer_api_key_revoke,
)
from agora.accounts.services import user_create
from agora.accounts.signin import password_change_record
from agora.core.errors import AgoraError
from agora.storefront.forms import (
    ADDRESS_FIELDS,
    AddressBookForm,
    ApiKeyForm,
    RegisterForm,
    add_service_error,
    address_values,
)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("storefront:account")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=get_language() or "en",
            )
        except AgoraError as exc:
            add_service_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect(_next_url(request, "/account/"))
    status = 422 if request.method == "POST" else 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(
        request, "storefront/account/register.html", {"form": form, "next": next_url}, status=status
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "storefront/account/account.html",
        {
            "addresses": address_list(user=user),  # type: ignore[arg-type]
            "key_count": sum(k.is_active for k in buyer_api_key_list(user=user)),  # type: ignore[arg-type]
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)  # stay signed in on this device
            password_change_record(user=user, request=request)  # others signed out, logged
            messages.success(request, _("Your password was changed."))
            return redirect("storefront:account")
        return render(request, "storefront/account/password.html", {"form": form}, status=422)
    return render(request, "storefront/account/password.html", {"form": form})


# --- addresses --------------------------------------------------------------------------------


def _address_saved(
    request: HttpRequest, form: AddressBookForm, save: Callable[..., object], done: str
) -> HttpResponse | None:
    """Calls the address-book service ``save`` with the posted address when the form is valid
    and goes back to the book; None (the refusal placed on the form) when it cannot."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = AddressInput(
        label=form.cleaned_data.get("label", ""),
        **{name: form.cleaned_data.get(name, "") for name in ADDRESS_FIELDS},
    )
    try:
        save(data=data, make_default=form.cleaned_data["make_default"])
    except AgoraError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, done)
    return redirect("storefront:addresses")


@login_required
@require_http_methods(["GET", "POST"])
def addresses(request: HttpRequest) -> HttpResponse:
    """The address book, with the form to add one."""
    user: Any = request.user
    form = AddressBookForm(request.POST or None)
    saved = _address_saved(request, form, partial(address_create, user=user), _("Address saved."))
    if saved is not None:
        return saved
    return render(
        request,
        "storefront/account/addresses.html",
        {"addresses": address_list(user=user), "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: str) -> HttpResponse:
    user: Any = request.user
    address = address_get(user=user, public_id=address_id)
    if address is None:
        raise Http404("no such address")
    initial = {"label": address.label, **address_values(address)}
    form = AddressBookForm(request.POST or None, initial=initial)
    update = partial(address_update, user=user, public_id=address_id)
    saved = _address_saved(request, form, update, _("Address updated."))
    if saved is not None:
        return saved
    return render(
        request,
        "storefront/account/address_edit.html",
        {"address": address, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def address_remove(request: HttpRequest, address_id: str) -> HttpResponse:
    try:
        address_delete(user=request.user, public_id=address_id)  # type: ignore[arg-type]
    except AgoraError as exc:
        raise Http404("no such address") from exc
    messages.success(request, _("Address deleted."))
    return redirect("storefront:addresses")


@login_required
@require_POST
def address_default(request: HttpRequest, address_id: str) -> HttpResponse:
    try:
        address_set_default(user=request.user, public_id=address_id)  # type: ignore[arg-type]
    except AgoraError as exc:
        raise Http404("no such address") from exc
    messages.success(request, _("Default address changed."))
    return redirect("storefront:addresses")


# --- API keys ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The buyer's keys; creating one shows its secret on this response only (never stored)."""
    user: Any = request.user
    form = ApiKeyForm(request.POST or None)
    issued: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                key, token = buyer_api_key_issue(user=user, name=form.cleaned_data["name"])
            except AgoraError as exc:
                add_service_error(form, exc)
                status = 422
            else:
                issued = {"name": key.name, "id": key.public_id, "token": token}
                form = ApiKeyForm()
                status = 201
        else:
            status = 422
    return render(
        request,
        "storefront/account/api_keys.html",
        {
            "keys": buyer_api_key_list(user=user),
            "form": form,
            "issued": issued,
            "scopes": BUYER_SCOPES,
            "api_base": request.build_absolute_uri("/api/v1/"),
        },
        status=status,
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, key_id: str) -> HttpResponse:
    try:
        key = buyer_api_key_revoke(user=request.user, public_id=key_id)  # type: ignore[arg-type]
    except AgoraError as exc:
        raise Http404("no such key") from exc
    messages.success(request, _("Key “%(name)s” revoked.") % {"name": key.name})
    return redirect("storefront:api_keys")
