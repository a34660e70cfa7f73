"""`agora apikey issue`: a seller's key with --seller, a platform app's key without it (the
README's way for apps), and an unknown seller refused by name."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agora.accounts.models import ApiKey

pytestmark = pytest.mark.django_db


def issue(*args: str) -> str:
    out = StringIO()
    call_command("apikey", "issue", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_seller_key_and_an_app_key(seller) -> None:  # type: ignore[no-untyped-def]
    assert "agora_sk_" in issue("--seller", seller.slug, "--name", "shop tool")
    printed = issue("--name", "my app", "--scope", "orders:read")
    assert "for a platform app: agora_sk_" in printed
    app = ApiKey.objects.get(name="my app")
    assert app.kind == ApiKey.Kind.APP and app.seller_id is None and app.scopes == ["orders:read"]
    assert ApiKey.objects.get(name="shop tool").kind == ApiKey.Kind.SELLER


def test_an_unknown_seller_is_refused_by_name() -> None:
    with pytest.raises(CommandError, match="no seller with public id or slug 'nope'"):
        issue("--seller", "nope", "--name", "x")
