"""Steps 2 and 3 of checkout and its compensation. Nothing here runs inside a transaction when
it reaches the provider; each state change is its own short transaction on the checkout row.

Which intent statuses lead where (the same table serves the buyer's request and the sweep):

==================  ===============================================================
intent              checkout
==================  ===============================================================
authorized          capture into escrow, then finish (stock sold, orders paid)
requires_action     ``requires_action``: the buyer completes 3-D Secure
captured            finish (a crash came after the capture)
failed, cancelled   compensate: orders cancelled, reservations released
==================  ===============================================================
"""

from __future__ import annotations

from django.db import transaction

from agora.checkout.models import Cart, Checkout
from agora.core import clock
from agora.core.actors import system
from agora.core.errors import INVALID_TRANSITION, AgoraError
from agora.inventory import errors as inventory_errors
from agora.inventory.reservations import (
    reservation_release,
    reservations_convert,
    stock_reserve,
)
from agora.orders.models import Order
from agora.orders.services import order_cancel, order_mark_paid
from agora.payments.models import PaymentIntent
from agora.payments.services import (
    payment_authorize,
    payment_cancel,
    payment_capture,
    payment_confirm_3ds,
    refund_issue,
)

State = Checkout.State
Intent = PaymentIntent.Status
ACTOR = system("checkout")
FINAL = (State.PAID, State.FAILED, State.COMPENSATED)


def _move(checkout: Checkout, target: str, *, allowed: tuple[str, ...], **fields: object) -> bool:
    """Moves the checkout to ``target`` under its row lock when it is in ``allowed``; False
    when another request or the sweep moved it first (the caller then reads where it is)."""
    with transaction.atomic():
        row = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if row.state not in allowed:
            return False
        row.state, row.updated_at = target, clock.now()
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=["state", "updated_at", *fields])
    return True


def _reload(checkout: Checkout) -> Checkout:
    return Checkout.objects.select_related("payment").get(pk=checkout.pk)


def checkout_pay(*, checkout: Checkout) -> Checkout:
    """Step 2: asks the provider to authorize (outside any transaction, with the intent's key),
    then continues by the table of the module. Safe to call again."""
    _move(checkout, State.AUTHORIZING, allowed=(State.ORDERS_PLACED,))
    checkout = _reload(checkout)
    if checkout.state != State.AUTHORIZING:
        return checkout
    intent = payment_authorize(actor=ACTOR, intent=checkout.payment)
    return advance(checkout, intent)


def checkout_confirm_3ds(*, checkout: Checkout, passed: bool) -> Checkout:
    """The buyer's 3-D Secure outcome: authorized → capture and finish; failed → compensate."""
    checkout = _reload(checkout)
    if checkout.state != State.REQUIRES_ACTION:
        raise AgoraError(
            INVALID_TRANSITION,
            f"checkout {checkout.public_id} is {checkout.state}, not waiting for 3-D Secure",
        )
    intent = payment_confirm_3ds(actor=ACTOR, intent=checkout.payment, succeeded=passed)
    return advance(checkout, intent)


def advance(checkout: Checkout, intent: PaymentIntent) -> Checkout:
    """Continues the checkout from where its intent stands (the module's table)."""
    status = intent.status
    if status == Intent.REQUIRES_ACTION:
        _move(
            checkout,
            State.REQUIRES_ACTION,
            allowed=(State.ORDERS_PLACED, State.AUTHORIZING),
        )
        return _reload(checkout)
    if status == Intent.AUTHORIZED:
        _move(checkout, State.AUTHORIZING, allowed=(State.REQUIRES_ACTION, State.ORDERS_PLACED))
        try:
            intent = payment_capture(actor=ACTOR, intent=intent)
        except AgoraError as exc:  # e.g. an order of it already paid by another intent
            return checkout_compensate(
                checkout=checkout, state=State.FAILED, code="capture_refused", reason=exc.detail
            )
        status = intent.status
    if status == Intent.CAPTURED:
        return _finish(checkout)
    if status in (Intent.FAILED, Intent.CANCELLED):
        code = intent.failure_code or status
        return checkout_compensate(
            checkout=checkout,
            state=State.FAILED,
            code=code,
            reason=intent.failure_reason or f"the payment {status}",
        )
    return _reload(checkout)  # authorizing/capturing: the provider's answer is not recorded yet


def _finish(checkout: Checkout) -> Checkout:
    """Step 3b, one transaction: reservations become sales, the orders are paid, the cart is
    checked out. When the reservations lapsed meanwhile they are taken again; when the stock is
    gone, the money is refunded (:func:`_refund_all`)."""
    checkout = _reload(checkout)
    if checkout.state in FINAL or checkout.state == State.REFUNDING:
        return checkout
    orders = list(Order.objects.filter(checkout_ref=checkout.public_id).order_by("pk"))
    try:
        with transaction.atomic():
            row = Checkout.objects.select_for_update().get(pk=checkout.pk)
            if row.state in FINAL:
                return _reload(checkout)
            _convert(checkout, orders)
            for order in orders:
                order_mark_paid(order=order, payment_ref=checkout.payment.public_id, actor=ACTOR)
            Cart.objects.filter(pk=checkout.cart_id, status=Cart.Status.OPEN).update(
                status=Cart.Status.CHECKED_OUT, updated_at=clock.now()
            )
            row.state, row.updated_at, row.error = State.PAID, clock.now(), None
            row.save(update_fields=["state", "updated_at", "error"])
    except AgoraError as exc:
        if exc.problem is not inventory_errors.OUT_OF_STOCK:
            raise
        return _refund_all(checkout, orders, exc.detail)
    return _reload(checkout)


def _convert(checkout: Checkout, orders: list[Order]) -> None:
    refs = {o.seller_id: o.public_id for o in orders}
    try:
        reservations_convert(actor=ACTOR, reference=checkout.public_id, order_references=refs)
    except AgoraError as exc:
        if exc.problem is not inventory_errors.RESERVATION_CLOSED:
            raise
        items = [
            (line.variant_id, line.quantity)
            for order in orders
            for line in order.lines.all()
            if line.variant_id is not None
        ]
        with transaction.atomic():  # a savepoint: out of stock leaves nothing of it behind
            stock_reserve(actor=ACTOR, reference=checkout.public_id, items=items)
            reservations_convert(actor=ACTOR, reference=checkout.public_id, order_references=refs)


def _refund_all(checkout: Checkout, orders: list[Order], why: str) -> Checkout:
    """Captured, but the goods are gone (the reservations lapsed and could not be taken again):
    the orders are marked paid so payments can refund them in full; the refunds are recorded on
    the orders by the ``refund.issued`` handler, and the sweep cancels them afterwards."""
    error = {"type": "/problems/out-of-stock", "code": "out_of_stock_after_payment", "detail": why}
    if not _move(
        checkout, State.REFUNDING, allowed=(State.AUTHORIZING, State.REQUIRES_ACTION), error=error
    ):
        return _reload(checkout)
    for order in orders:
        order_mark_paid(order=order, payment_ref=checkout.payment.public_id, actor=ACTOR)
        refund_issue(
            actor=ACTOR,
            order=order,
            amount_minor=order.total_minor,
            reason=f"checkout {checkout.public_id}: {why}"[:300],
            idempotency_key=f"{checkout.public_id}:refund:{order.public_id}",
        )
    return _reload(checkout)


def checkout_compensate(*, checkout: Checkout, state: str, code: str, reason: str) -> Checkout:
    """Undoes step 1: the intent is cancelled when it still can be (a provider call, outside
    any transaction), then one transaction cancels the orders, releases the reservations and
    records ``state`` (failed or compensated) with the reason. Nothing stays reserved or charged.
    Refuses (returns unchanged) when the money was captured: that is :func:`_finish`'s case."""
    checkout = _reload(checkout)
    if checkout.state in FINAL or checkout.state == State.REFUNDING:
        return checkout
    intent = checkout.payment
    if intent is not None:
        intent.refresh_from_db()
        if intent.status in (Intent.REQUIRES_PAYMENT, Intent.REQUIRES_ACTION, Intent.AUTHORIZED):
            intent = payment_cancel(actor=ACTOR, intent=intent, reason=reason[:300])
        if intent.status not in (Intent.FAILED, Intent.CANCELLED):
            return advance(checkout, intent)  # captured or still being asked: not ours to undo
    with transaction.atomic():
        row = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if row.state in FINAL:
            return _reload(checkout)
        # lock order as in _finish: the checkout row, the stock levels, then the orders
        reservation_release(actor=ACTOR, reference=checkout.public_id)
        for order in Order.objects.filter(checkout_ref=checkout.public_id, status="placed"):
            order_cancel(actor=ACTOR, order=order, reason=f"checkout {state}: {code}"[:300])
        row.state, row.updated_at = state, clock.now()
        slug = "payment-declined" if state == State.FAILED else "checkout-abandoned"
        row.error = {"type": f"/problems/{slug}", "code": code, "detail": reason[:300]}
        row.save(update_fields=["state", "updated_at", "error"])
    return _reload(checkout)
