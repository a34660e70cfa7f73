"""Builders for seller-center tests: a signed-in seller owner, pages read as text, and a buyer
who checks out through the real checkout (cart → checkout API → services)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from agora.accounts.models import User
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.services import seller_staff_add
from tests.checkout.flow_helpers import Guest
from tests.conftest import SYSTEM

_n = {"n": 0}


def user(email: str | None = None) -> User:
    _n["n"] += 1
    return User.objects.create_user(email or f"person{_n['n']}@example.org", "a long passphrase")


def staff_client(
    seller: Seller, role: str = SellerStaff.Role.OWNER, **client_kwargs: Any
) -> Client:
    """A browser signed in as a new staff member of ``seller`` with ``role``."""
    member = user()
    seller_staff_add(actor=SYSTEM, seller=seller, user=member, role=role)
    client = Client(**client_kwargs)
    client.force_login(member)
    client.user = member  # type: ignore[attr-defined]
    return client


def text(response: Any) -> str:
    """The page's visible text, tags stripped and whitespace collapsed, for assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def field_error(response: Any, field: str) -> str:
    """The error text Django rendered for ``field`` (its ``id_<field>_error`` list)."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error shown for {field!r}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


class Buyer(Guest):
    """A signed-in buyer's browser (session + CSRF), checking out as the storefront does."""

    def __init__(self, account: User) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(account)
        self.client.get("/api/v1/cart")
        self.csrf = self.client.cookies["csrftoken"].value
