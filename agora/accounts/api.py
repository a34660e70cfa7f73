"""Who am I: the API key's own description, so a client can check its setup."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from agora.api.auth import api_key_auth

router = Router(tags=["account"], auth=api_key_auth)


class SellerBrief(Schema):
    id: str
    name: str
    state: str


class KeyOut(Schema):
    id: str
    name: str
    kind: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    seller: SellerBrief | None


@router.get("/me", response=KeyOut, summary="The API key in use and its seller")
def me(request: HttpRequest) -> KeyOut:
    key = request.api_key  # type: ignore[attr-defined]
    seller = key.seller
    return KeyOut(
        id=key.public_id,
        name=key.name,
        kind=key.kind,
        scopes=key.scopes,
        created_at=key.created_at,
        expires_at=key.expires_at,
        seller=SellerBrief(id=seller.public_id, name=seller.display_name, state=seller.state)
        if seller
        else None,
    )
