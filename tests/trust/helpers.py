"""What the trust tests share: a product a buyer received, operators, and the statement form."""

from __future__ import annotations

from django.test import Client

from agora.accounts.models import User
from agora.catalog.models import Product
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_staff_add
from agora.orders.services import OrderLineDraft
from tests.conftest import SYSTEM, make_product
from tests.operator.data import operator
from tests.orders.factories import delivered, make_buyer

STATEMENT = {
    "action": "remove",
    "facts": "Three buyers report the listing shows a counterfeit logo; photos confirm it.",
    "ground": "Terms of service §4.2 (counterfeit goods); EU Regulation 2017/1001 Art. 9.",
    "automated": "no",
}


def bought(seller: Seller, title: str = "Tea cup") -> tuple[Product, User]:
    """A published product and a buyer whose order of it was delivered."""
    product = make_product(seller, title, sku=f"{title}-sku", publish=True)
    buyer = make_buyer()
    variant = product.variants.get()
    line = OrderLineDraft(
        sku=variant.sku, title=title, quantity=1, unit_price_minor=1299, variant=variant
    )
    delivered(seller, buyer=buyer, drafts=[line])
    return product, buyer


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ops(email: str) -> tuple[User, Client]:
    user = operator(email)
    return user, signed_in(user)


def staff_user(seller: Seller | None, email: str) -> User:
    """A user; with ``seller``, its owner (through the marketplace's service)."""
    user = make_buyer(email)
    if seller is not None:
        seller_staff_add(actor=SYSTEM, seller=seller, user=user, role="owner")
    return user
