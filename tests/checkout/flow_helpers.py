"""A marketplace ready to sell: two sellers with stock and shipping, and a guest's session."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from agora.inventory.services import location_create, stock_receive
from agora.marketplace.models import Seller
from tests.checkout.helpers import eu_shipping, sellable
from tests.conftest import SYSTEM


def stocked(seller: Seller, title: str, *, price: int, stock: int):  # type: ignore[no-untyped-def]
    variant = sellable(seller, title, prices={"EUR": price}, weight=200)
    location = location_create(
        actor=SYSTEM, seller=seller, name=f"{title} store", kind="warehouse", country="DE"
    )
    stock_receive(actor=SYSTEM, location=location, variant=variant, quantity=stock, reference="t")
    return variant, location


class Guest:
    """A browser: session cookie and CSRF token, as the storefront sends them."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.get("/api/v1/cart")
        self.csrf = self.client.cookies["csrftoken"].value

    def send(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        return getattr(self.client, method)(
            path,
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers={"X-CSRFToken": self.csrf, **headers},
        )

    def fill(self, *items: tuple[Any, int]) -> dict:
        for variant, quantity in items:
            r = self.send(
                "post",
                "/api/v1/cart/lines",
                {"variant_id": variant.public_id, "quantity": quantity},
            )
            assert r.status_code == 201, r.content
        r = self.send("put", "/api/v1/cart/destination", {"country": "DE", "postcode": "10115"})
        assert r.status_code == 200, r.content
        return r.json()

    def checkout(self, card: str = "4242424242424242", **headers: str) -> Any:
        cart = self.client.get("/api/v1/cart").json()
        shipping = {
            g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in cart["sellers"]
        }
        self.last_body = {"shipping": shipping, "card": card, "email": "guest@example.org"}
        return self.send("post", "/api/v1/checkout", self.last_body, **headers)

    def retry(self, **headers: str) -> Any:
        """The same POST /checkout again (a client whose connection dropped)."""
        return self.send("post", "/api/v1/checkout", self.last_body, **headers)


def setup_two_sellers(seller: Seller, other_seller: Seller) -> dict[str, Any]:
    eu_shipping(seller)
    eu_shipping(other_seller)
    cup, cup_at = stocked(seller, "Cup", price=1299, stock=5)
    pot, pot_at = stocked(other_seller, "Pot", price=3450, stock=2)
    return {"cup": cup, "cup_at": cup_at, "pot": pot, "pot_at": pot_at}
