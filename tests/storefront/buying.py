"""A browser for the buying pages (session cookie, CSRF token taken from the cookie as a form
would send it) and the steps of the buyer journey through the real pages."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from agora.fulfillment.services import ShipmentLineDraft, shipment_create, shipment_update
from agora.orders.models import Order
from tests.conftest import SYSTEM
from tests.orders.factories import carrier

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "Unter den Linden 1",
    "postcode": "10117",
    "city": "Berlin",
    "country": "DE",
    "phone": "",
    "company": "",
    "line2": "",
    "region": "",
    "vat_id": "",
}
CARD_OK = "4242 4242 4242 4242"
CARD_3DS = "4000 0025 0000 3155"
CARD_DECLINED = "4000 0000 0000 0002"


class Browser:
    """Posts forms the way a browser does: the CSRF token from the cookie in the form body."""

    def __init__(self, *, language: str = "en") -> None:
        self.client = Client(enforce_csrf_checks=True, headers={"Accept-Language": language})

    @property
    def csrf(self) -> str:
        cookie = self.client.cookies.get("csrftoken")
        if cookie is None:
            self.client.get("/cart/")
            cookie = self.client.cookies["csrftoken"]
        return cookie.value

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **headers: str) -> Any:
        body = {"csrfmiddlewaretoken": self.csrf, **(data or {})}
        return self.client.post(path, body, headers=headers or None)

    def add(self, variant: Any, quantity: int = 1) -> Any:
        return self.post("/cart/add/", {"variant": variant.public_id, "quantity": quantity})

    def give_address(self, **changes: str) -> Any:
        data = {**ADDRESS, **changes}
        if "email" not in data and not self.client.session.get("_auth_user_id"):
            data["email"] = "guest@example.org"
        return self.post("/checkout/address/", data)

    def payment_form(self) -> dict[str, str]:
        """The payment page's form values as rendered: token and the first delivery method."""
        page = self.get("/checkout/")
        assert page.status_code == 200, page.status_code
        html = page.content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html)
        assert token, "no idempotency token on the payment page"
        data = {"token": token.group(1)}
        for name, value in re.findall(
            r'type="radio" name="(ship_[^"]+)" id="[^"]+" value="([^"]+)"', html
        ):
            data.setdefault(name, value)
        return data

    def pay(self, card: str, form: dict[str, str] | None = None) -> Any:
        data = dict(form or self.payment_form())
        data["card"] = card
        return self.post("/checkout/", data)


def ship(order_id: str, location: Any, *, tracking: str = "TRACK-1", deliver: bool = False) -> None:
    """The seller fulfils the whole order (through fulfilment's services)."""
    order = Order.objects.get(public_id=order_id)
    shipment = shipment_create(
        actor=SYSTEM,
        order=order,
        location=location,
        lines=[ShipmentLineDraft(line.line_no, line.quantity) for line in order.lines.all()],
        carrier=carrier("dhl"),
        tracking_number=tracking,
    )
    shipment_update(actor=SYSTEM, shipment=shipment, status="shipped")
    if deliver:
        shipment_update(actor=SYSTEM, shipment=shipment, status="delivered")
