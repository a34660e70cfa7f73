"""Bad input (issue 3, "Bad input"): each refused with a stable, registered problem ``type`` that
names the field or thing at fault, and nothing half-written.

Walked through the HTTP API where an endpoint exists (the buyer's session cookie and
``X-CSRFToken``, the seller's Bearer key) and through the services otherwise (provider webhooks,
Standard Webhooks ``verify``, ``refund_issue``, ``payment_capture``). Every case counts the rows
it could have touched before and after (:func:`snapshot`).
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from agora.checkout.models import CartLine, Checkout
from agora.core.errors import AgoraError, registered_problem_types
from agora.inventory.models import Reservation, StockLevel
from agora.marketplace.services import seller_transition
from agora.orders.models import Order, OrderReturn
from agora.payments.models import LedgerEntry, PaymentIntent, Refund
from agora.payments.providers import get_provider
from agora.payments.providers import test as test_provider
from agora.payments.providers.base import ProviderError
from agora.payments.providers.teststate import TestProviderCharge
from agora.payments.services import (
    payment_authorize,
    payment_capture,
    payment_intent_create,
    refund_issue,
)
from agora.webhooks.signing import (
    SignatureMismatch,
    TimestampOutOfTolerance,
    new_secret,
    sign,
    verify,
)
from tests.checkout.flow_helpers import Guest, setup_two_sellers
from tests.checkout.helpers import sellable
from tests.conftest import SYSTEM, assert_problem, key_client, make_product, post_json
from tests.orders.factories import carrier

pytestmark = pytest.mark.django_db


# --- helpers ----------------------------------------------------------------------------------
def snapshot() -> dict[str, Any]:
    """Every row a refused request could have half-written."""
    return {
        "cart_lines": CartLine.objects.count(),
        "cart_units": CartLine.objects.aggregate(n=Sum("quantity"))["n"] or 0,
        "checkouts": Checkout.objects.count(),
        "orders": Order.objects.count(),
        "reservations": Reservation.objects.count(),
        "reserved_units": StockLevel.objects.aggregate(n=Sum("reserved"))["n"] or 0,
        "on_hand": StockLevel.objects.aggregate(n=Sum("on_hand"))["n"] or 0,
        "intents": PaymentIntent.objects.count(),
        "intent_states": sorted(PaymentIntent.objects.values_list("status", flat=True)),
        "ledger_entries": LedgerEntry.objects.count(),
        "refunds": Refund.objects.count(),
        "charges": sorted(
            TestProviderCharge.objects.values_list("status", "captured_minor", "refunded_minor")
        ),
    }


def page_exists(slug: str) -> None:
    """The problem type's documentation page answers (``type`` is a link, not a string)."""
    response = Client().get(f"/problems/{slug}")
    assert response.status_code == 200, (slug, response.status_code)


def refused(response: Any, status: int, slug: str, field: str | None = None) -> dict:
    body = assert_problem(response, status, slug, field)
    page_exists(slug)
    return body


def refused_by_service(
    exc: pytest.ExceptionInfo[AgoraError], status: int, slug: str, field: str | None = None
) -> AgoraError:
    error = exc.value
    assert (error.problem.slug, error.problem.status) == (slug, status), error.as_problem()
    assert slug in registered_problem_types()
    if field is not None:
        assert field in [e.field for e in error.errors], error.as_problem()
    page_exists(slug)
    return error


@pytest.fixture
def world(seller, other_seller) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return setup_two_sellers(seller, other_seller)


# --- the cart ---------------------------------------------------------------------------------
def test_checkout_of_an_empty_cart_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    before = snapshot()
    r = guest.send(
        "post", "/api/v1/checkout", {"shipping": {}, "card": "4242424242424242", "email": None}
    )
    body = refused(r, 422, "validation-error", "cart")
    assert "empty" in body["detail"]
    assert snapshot() == before


BAD_QUANTITIES = [0, -1, 10**9]


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
def test_add_to_cart_refuses_a_bad_quantity(world, quantity: int) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    before = snapshot()
    r = guest.send(
        "post", "/api/v1/cart/lines", {"variant_id": world["cup"].public_id, "quantity": quantity}
    )
    body = refused(r, 422, "validation-error", "quantity")
    assert str(quantity) in body["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("quantity", BAD_QUANTITIES)
def test_patching_a_line_refuses_a_bad_quantity(world, quantity: int) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 2))
    before = snapshot()
    r = guest.send("patch", f"/api/v1/cart/lines/{world['cup'].public_id}", {"quantity": quantity})
    body = refused(r, 422, "validation-error", "quantity")
    assert str(quantity) in body["detail"]
    assert snapshot() == before
    assert CartLine.objects.get().quantity == 2


def test_an_unpublished_variant_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    draft = make_product(seller, "Draft mug", publish=False).variants.get()
    guest = Guest()
    before = snapshot()
    r = guest.send("post", "/api/v1/cart/lines", {"variant_id": draft.public_id, "quantity": 1})
    body = refused(r, 422, "variant-not-available", "variant_id")
    assert draft.public_id in body["detail"] and "draft" in body["detail"]
    assert snapshot() == before


def test_a_suspended_sellers_variant_is_refused_in_the_cart_and_at_checkout(
    world, other_seller
) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1), (world["pot"], 1))
    seller_transition(actor=SYSTEM, seller=other_seller, to="suspended", reason="test")
    before = snapshot()
    r = guest.send(
        "post", "/api/v1/cart/lines", {"variant_id": world["pot"].public_id, "quantity": 1}
    )
    body = refused(r, 422, "variant-not-available", "variant_id")
    assert "suspended" in body["detail"]
    assert snapshot() == before
    # the line already in the cart: checkout names it and writes nothing
    body = refused(guest.checkout(), 422, "variant-not-available", "cart")
    assert world["pot"].public_id in body["detail"]
    assert snapshot() == before


def test_a_currency_the_seller_does_not_sell_in_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    dollars_only = sellable(seller, "Dollar mug", prices={"USD": 1500})
    guest = Guest()
    before = snapshot()
    r = guest.send(
        "post", "/api/v1/cart/lines", {"variant_id": dollars_only.public_id, "quantity": 1}
    )
    body = refused(r, 422, "currency-not-sold", "currency")
    assert "EUR" in body["detail"] and "USD" in body["detail"]
    assert snapshot() == before


def test_a_country_without_a_shipping_zone_refuses_checkout(world, seller) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1))
    r = guest.send("put", "/api/v1/cart/destination", {"country": "IT", "postcode": "00100"})
    assert r.status_code == 200, r.content  # the cart shows the problem before checkout
    group = r.json()["sellers"][0]
    assert group["shipping"]["problem"]["type"].endswith("/no-shipping-zone")
    before = snapshot()
    body = refused(
        guest.send(
            "post",
            "/api/v1/checkout",
            {"shipping": {seller.public_id: "shm_none"}, "card": "4242424242424242"},
        ),
        422,
        "no-shipping-zone",
        f"shipping.{seller.public_id}",
    )
    assert "IT" in body["detail"] and seller.display_name in body["detail"]
    assert snapshot() == before


def test_a_vat_id_that_does_not_validate_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1))  # destination DE, no VAT id
    before = snapshot()
    r = guest.send(
        "put",
        "/api/v1/cart/destination",
        {"country": "AT", "postcode": "1010", "vat_id": "ATU00000000"},
    )
    body = refused(r, 422, "validation-error", "vat_id")
    assert "ATU00000000" in body["detail"] or "vat_id" in body["detail"]
    assert snapshot() == before
    destination = guest.client.get("/api/v1/cart").json()["destination"]
    assert destination == {"country": "DE", "postcode": "10115", "vat_id": ""}  # unchanged


# --- the checkout body and CSRF ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"coupon": "FREE"}, "coupon"),  # unknown field
        ({"card": 4242424242424242}, "card"),  # a number, not a string
        ({"shipping": "standard"}, "shipping"),  # not an object
        ({"shipping": {"sel_x": 7}}, "shipping.sel_x"),  # a method id that is not a string
        ({"email": ["a@b.c"]}, "email"),
    ],
)
def test_checkout_body_with_unknown_fields_or_wrong_types(world, change, field) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1))
    cart = guest.client.get("/api/v1/cart").json()
    body = {
        "shipping": {
            g["seller"]["id"]: g["shipping"]["options"][0]["method_id"] for g in cart["sellers"]
        },
        "card": "4242424242424242",
        **change,
    }
    before = snapshot()
    refused(guest.send("post", "/api/v1/checkout", body), 422, "validation-error", field)
    assert snapshot() == before


@pytest.mark.parametrize("token", [None, "wrong-token-" + "x" * 52])
def test_a_buyer_post_without_a_valid_csrf_token_is_refused(world, token) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1))
    before = snapshot()
    headers = {} if token is None else {"X-CSRFToken": token}
    for path, body in [
        ("/api/v1/cart/lines", {"variant_id": world["pot"].public_id, "quantity": 1}),
        ("/api/v1/checkout", {"shipping": {}, "card": "4242424242424242"}),
    ]:
        r = guest.client.post(path, body, content_type="application/json", headers=headers or None)
        refused(r, 403, "csrf-failed")
    assert snapshot() == before


# --- webhooks ---------------------------------------------------------------------------------
def test_provider_webhook_tampered_replayed_or_stale_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    provider = get_provider("test")
    headers, body = provider.webhook("charge.captured", "tp_ch_abc")
    assert provider.parse_webhook(headers, body).provider_ref == "tp_ch_abc"
    before = snapshot()
    with pytest.raises(ProviderError) as exc:
        provider.parse_webhook(headers, body.replace(b"captured", b"refunded"))
    assert exc.value.code == "bad_signature"
    # replayed with a fresh timestamp but the captured signature: the signature covers the time
    captured_signature = headers[test_provider.SIGNATURE_HEADER].split("v1=")[1]
    fresh = {test_provider.SIGNATURE_HEADER: f"t={int(time.time()) + 1},v1={captured_signature}"}
    with pytest.raises(ProviderError) as exc:
        provider.parse_webhook(fresh, body)
    assert exc.value.code == "bad_signature"
    # replayed as captured, later than the tolerance: stale
    later = time.time() + test_provider.WEBHOOK_TOLERANCE_SECONDS + 1
    monkeypatch.setattr(test_provider, "time", SimpleNamespace(time=lambda: later))
    with pytest.raises(ProviderError) as exc:
        provider.parse_webhook(headers, body)
    assert exc.value.code == "stale"
    assert snapshot() == before


def test_standard_webhook_tampered_or_stale_is_refused() -> None:
    secret, now = new_secret(), int(time.time())
    payload = b'{"type":"order.paid"}'
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, "msg_1", now, payload),
    }
    verify(secret, headers, payload, now=now)
    with pytest.raises(SignatureMismatch):
        verify(secret, headers, payload + b" ", now=now)
    with pytest.raises(SignatureMismatch):
        verify(secret, {**headers, "webhook-id": "msg_2"}, payload, now=now)
    with pytest.raises(SignatureMismatch):
        verify(new_secret(), headers, payload, now=now)
    with pytest.raises(TimestampOutOfTolerance, match="301s old"):
        verify(secret, headers, payload, now=now + 301)  # the same message replayed later
    with pytest.raises(SignatureMismatch):  # re-dated to pass the clock: the signature breaks
        verify(secret, {**headers, "webhook-timestamp": str(now + 301)}, payload, now=now + 301)


# --- refunds and capture ----------------------------------------------------------------------
def _received_return(world, seller) -> tuple[Client, str, str]:  # type: ignore[no-untyped-def]
    """A delivered order of 2 cups with 1 cup returned and received: (seller API, order, return)."""
    guest = Guest()
    guest.fill((world["cup"], 2))
    r = guest.checkout()
    assert r.status_code == 201, r.content
    order_id = r.json()["orders"][0]["id"]
    api = key_client(seller)
    carrier("dhl")
    sid = post_json(
        api,
        f"/api/v1/seller/orders/{order_id}/shipments",
        {
            "location": world["cup_at"].public_id,
            "lines": [{"line_no": 1, "quantity": 2}],
            "carrier": "dhl",
        },
    ).json()["id"]
    for status in ("shipped", "delivered"):
        post_json(api, f"/api/v1/seller/shipments/{sid}/status", {"status": status})
    r = guest.send(
        "post",
        f"/api/v1/me/orders/{order_id}/returns",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason_code": "damaged"},
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert post_json(api, f"/api/v1/seller/returns/{rid}/approve", {}).status_code == 200
    r = post_json(
        api,
        f"/api/v1/seller/returns/{rid}/receive",
        {"lines": [{"line_no": 1, "disposition": "write_off"}]},
    )
    assert r.status_code == 200, r.content
    return api, order_id, rid


def test_a_refund_larger_than_paid_is_refused(world, seller) -> None:  # type: ignore[no-untyped-def]
    api, order_id, rid = _received_return(world, seller)
    order = Order.objects.get(public_id=order_id)
    before = snapshot()
    for amount in (1300, 10**9):  # the return is worth 1299
        r = post_json(
            api,
            f"/api/v1/seller/returns/{rid}/refund",
            {"amount_minor": amount},
            **{"Idempotency-Key": f"too-much-{amount}"},
        )
        body = refused(r, 422, "validation-error", "amount_minor")
        assert "1299" in body["detail"]
    r = post_json(api, f"/api/v1/seller/returns/{rid}/refund", {"amount_minor": "12.99"})
    refused(r, 422, "validation-error", "amount_minor")
    assert snapshot() == before
    assert OrderReturn.objects.get(public_id=rid).status == "received"
    # straight through the service: more than the order's total (2 x 1299 + 490 shipping)
    with pytest.raises(AgoraError) as exc:
        refund_issue(
            actor=SYSTEM,
            order=order,
            amount_minor=order.total_minor + 1,
            reason="too much",
            idempotency_key="svc-too-much",
        )
    error = refused_by_service(exc, 409, "refund-exceeds-paid")
    assert order.public_id in error.detail
    assert snapshot() == before
    # after a partial refund only the rest is refundable
    refund_issue(
        actor=SYSTEM, order=order, amount_minor=1000, reason="part", idempotency_key="svc-part"
    )
    after_part = snapshot()
    with pytest.raises(AgoraError) as exc:
        refund_issue(
            actor=SYSTEM,
            order=order,
            amount_minor=order.total_minor - 1000 + 1,
            reason="rest plus one",
            idempotency_key="svc-rest-plus-one",
        )
    refused_by_service(exc, 409, "refund-exceeds-paid")
    assert snapshot() == after_part


def test_a_second_capture_and_a_second_payment_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    guest = Guest()
    guest.fill((world["cup"], 1))
    r = guest.checkout()
    assert r.status_code == 201 and r.json()["state"] == "paid", r.content
    intent = PaymentIntent.objects.get()
    before = snapshot()
    # a second capture of the captured intent is refused by name, and nothing is posted
    with pytest.raises(AgoraError) as again:
        payment_capture(actor=SYSTEM, intent=intent)
    assert again.value.problem.slug == "payment-already-captured"
    assert "pay_" in again.value.detail
    assert snapshot() == before
    # the provider refuses a second capture of the charge under another key
    with pytest.raises(ProviderError):
        get_provider("test").capture(
            provider_ref=intent.provider_ref,
            amount_minor=intent.amount_minor,
            idempotency_key="another-capture",
        )
    assert snapshot() == before
    # a second payment for the same order is refused before the provider captures it
    order = Order.objects.get()
    second = payment_authorize(
        actor=SYSTEM,
        intent=payment_intent_create(
            actor=SYSTEM,
            orders=[order],
            payment_method="4242424242424242",
            idempotency_key="second-payment",
        ),
    )
    authorized = snapshot()
    with pytest.raises(AgoraError) as exc:
        payment_capture(actor=SYSTEM, intent=second)
    error = refused_by_service(exc, 409, "payment-provider-refused")
    assert intent.public_id in error.detail and "already paid" in error.detail
    assert snapshot() == authorized
    assert authorized["ledger_entries"] == before["ledger_entries"]
