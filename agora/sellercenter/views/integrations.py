"""Webhook endpoints (secret shown once, disable and enable, the delivery log with replay) and
API keys (token shown once, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts.scopes import ALL_SCOPES
from agora.accounts.services import api_key_issue, api_key_revoke
from agora.core.errors import AgoraError
from agora.sellercenter import selectors
from agora.sellercenter.access import found, owned, seller_page
from agora.sellercenter.feedback import add_service_error, meaning
from agora.sellercenter.forms.integrations import ApiKeyForm, EndpointForm
from agora.sellercenter.views.common import INVALID, is_htmx, page
from agora.webhooks import selectors as hooks
from agora.webhooks.models import WebhookEndpoint
from agora.webhooks.services import (
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_update,
)


@seller_page("webhooks:read")
@require_http_methods(["GET", "POST"])
def endpoints(request: HttpRequest) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    form = EndpointForm(request.POST or None)
    created = secret = None
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                created, secret = webhook_endpoint_create(
                    actor=desk.actor,
                    seller=desk.seller,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    description=form.cleaned_data["description"],
                )
            except AgoraError as exc:
                add_service_error(form, exc)
            else:
                status, form = 201, EndpointForm()
    listing = hooks.endpoint_list_for_seller(seller=desk.seller, cursor=None, limit=100)
    return page(
        request,
        "sellercenter/webhooks/list.html",
        _("Webhooks"),
        "webhooks",
        {"endpoints": listing.items, "form": form, "created": created, "secret": secret},
        status=status,
    )


def _endpoint(request: HttpRequest, endpoint_id: str) -> WebhookEndpoint:
    return owned(request, hooks.endpoint_get_for_seller, endpoint_id)


@seller_page("webhooks:read")
def endpoint_detail(request: HttpRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    deliveries = hooks.delivery_list_for_endpoint(endpoint=endpoint, cursor=None, limit=50)
    return page(
        request,
        "sellercenter/webhooks/detail.html",
        _("Webhook endpoint"),
        "webhooks",
        {"endpoint": endpoint, "deliveries": deliveries.items},
    )


@seller_page("webhooks:write")
@require_POST
def endpoint_enable(request: HttpRequest, endpoint_id: str, enabled: bool) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    try:
        webhook_endpoint_update(
            actor=request.desk.actor,
            endpoint=endpoint,
            changes={"enabled": enabled},  # type: ignore[attr-defined]
        )
    except AgoraError as exc:
        messages.error(request, meaning(exc))
    else:
        messages.success(request, _("Endpoint enabled.") if enabled else _("Endpoint disabled."))
    return redirect("sellercenter:endpoint_detail", endpoint_id=endpoint.public_id)


@seller_page("webhooks:write")
@require_POST
def delivery_replay(request: HttpRequest, endpoint_id: str, delivery_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    delivery = found(hooks.delivery_get_for_endpoint(endpoint=endpoint, public_id=delivery_id))
    try:
        delivery = webhook_delivery_replay(actor=request.desk.actor, delivery=delivery)  # type: ignore[attr-defined]
    except AgoraError as exc:
        messages.error(request, meaning(exc))
    else:
        messages.success(request, _("Delivery queued again."))
    if not is_htmx(request):
        return redirect("sellercenter:endpoint_detail", endpoint_id=endpoint.public_id)
    fresh = hooks.delivery_get_for_endpoint(endpoint=endpoint, public_id=delivery.public_id)
    return page(
        request,
        "sellercenter/webhooks/detail.html",
        _("Webhook endpoint"),
        "webhooks",
        {"endpoint": endpoint, "d": fresh},
        partial="delivery",
    )


@seller_page("sellers:write")
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """Keys act for the whole shop with the scopes they carry, so only owners manage them."""
    desk = request.desk  # type: ignore[attr-defined]
    form = ApiKeyForm(request.POST or None)
    token = None
    status = 200
    if request.method == "POST":
        status = INVALID
        if form.is_valid():
            try:
                _key, token = api_key_issue(
                    actor=desk.actor,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    seller_id=desk.seller.pk,
                    created_by=request.user,  # type: ignore[arg-type]
                    expires_at=form.cleaned_data["expires_at"],
                )
            except AgoraError as exc:
                add_service_error(form, exc)
            else:
                status, form = 201, ApiKeyForm()
    return page(
        request,
        "sellercenter/keys.html",
        _("API keys"),
        "keys",
        {
            "keys": selectors.api_key_list(seller=desk.seller),
            "form": form,
            "token": token,
            "all_scopes": ALL_SCOPES,
        },
        status=status,
    )


@seller_page("sellers:write")
@require_POST
def api_key_revoke_view(request: HttpRequest, key_id: str) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    key = owned(request, selectors.api_key_for_seller, key_id)
    api_key_revoke(actor=desk.actor, key=key)
    messages.success(request, _("Key revoked."))
    return redirect("sellercenter:api_keys")
