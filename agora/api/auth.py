"""Bearer API keys for the platform API. A valid key sets ``request.actor`` and
``request.seller``; a missing, malformed or revoked key is a 401 problem."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from agora.accounts.errors import API_KEY_INVALID
from agora.accounts.models import ApiKey
from agora.accounts.services import actor_for_api_key, api_key_authenticate
from agora.core.errors import AgoraError


class ApiKeyAuth(HttpBearer):
    openapi_description = "An Agora API key: `Authorization: Bearer agora_sk_…`"

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = api_key_authenticate(token)
        request.api_key = key  # type: ignore[attr-defined]
        request.actor = actor_for_api_key(key)  # type: ignore[attr-defined]
        request.seller = key.seller  # type: ignore[attr-defined]
        return key


class SellerKeyAuth(ApiKeyAuth):
    """Like :class:`ApiKeyAuth`, but the key must belong to a seller."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = super().authenticate(request, token)
        if key.seller is None:
            raise AgoraError(
                API_KEY_INVALID, "this endpoint needs a seller's API key, not an app key"
            )
        return key


class AppKeyAuth(ApiKeyAuth):
    """Like :class:`ApiKeyAuth`, but the key must be a platform app's (no seller)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = super().authenticate(request, token)
        if key.seller is not None:
            raise AgoraError(
                API_KEY_INVALID, "this endpoint needs an app key; a seller's key uses /seller/…"
            )
        return key


api_key_auth = ApiKeyAuth()
seller_auth = SellerKeyAuth()
app_auth = AppKeyAuth()
