"""Signals follow the orders through events, once per fact, and ``agora recs rebuild`` makes
the same table from the orders alone."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

from django.core.management import call_command

from agora.orders.returns import ReturnReceipt, return_receive
from agora.orders.services import order_cancel, order_record_refund
from agora.recommendations.models import Signal
from agora.recommendations.signals import (
    product_added_to_cart,
    product_viewed,
    signals_refresh_orders,
)
from tests.conftest import SYSTEM
from tests.orders.factories import approved_return, delivered
from tests.recommendations.conftest import Shop, buy, deliver


def rows(**filters) -> list[tuple]:  # type: ignore[no-untyped-def]
    return sorted(
        Signal.objects.filter(**filters).values_list(
            "buyer", "product_id", "kind", "weight", "day", "ref", "country"
        )
    )


def test_a_paid_order_becomes_purchase_signals(shop: Shop) -> None:
    ada = shop.u["ada"]
    order = buy(ada, shop.big, [shop.p["pot"], shop.p["cup"]], date(2026, 5, 18), quantity=3)
    assert rows(ref=order.public_id) == []  # not before the event is delivered
    deliver()
    assert rows(ref=order.public_id) == sorted(
        (
            f"user:{ada.pk}",
            shop.p[n].pk,
            Signal.Kind.PURCHASE,
            3.0,
            date(2026, 5, 18),
            order.public_id,
            "DE",
        )
        for n in ("pot", "cup")
    )


def test_redelivery_and_refresh_change_nothing(shop: Shop) -> None:
    before = rows()
    refs = sorted(set(Signal.objects.values_list("ref", flat=True)))
    signals_refresh_orders(order_public_ids=refs)
    signals_refresh_orders(order_public_ids=refs)
    assert rows() == before


def test_cancelling_a_paid_order_removes_its_purchases(shop: Shop) -> None:
    order = buy(shop.u["bo"], shop.big, [shop.p["kettle"]], date(2026, 5, 18))
    deliver()
    assert len(rows(ref=order.public_id)) == 1
    order = order_record_refund(order=order, amount_minor=order.total_minor, refund_ref="ref_1")
    order_cancel(actor=SYSTEM, order=order, reason="changed my mind")
    deliver()
    assert rows(ref=order.public_id) == []


def test_a_received_return_is_a_negative_signal(shop: Shop) -> None:
    order = delivered(shop.big, [(2, 1500)], buyer=shop.u["cy"])
    deliver()
    returned = approved_return(order, quantity=1)
    return_receive(
        actor=SYSTEM,
        order_return=returned,
        lines=[ReturnReceipt(line_no=1, disposition="write_off", condition="damaged")],
    )
    deliver()
    kinds = {k: w for _, _, k, w, *_ in rows(ref=order.public_id)}
    assert kinds == {Signal.Kind.PURCHASE: 2.0, Signal.Kind.RETURN: 1.0}


def test_views_and_cart_adds_accumulate_per_day_for_signed_in_buyers_only(shop: Shop) -> None:
    ada, tea = shop.u["ada"], shop.p["tea"]
    for _ in range(3):
        product_viewed(user_id=ada.pk, product_public_id=tea.public_id)
    product_viewed(user_id=None, product_public_id=tea.public_id)  # a guest: nothing kept
    product_added_to_cart(user_id=ada.pk, product_id=tea.pk, units=2)
    assert Signal.objects.get(buyer=f"user:{ada.pk}", kind=Signal.Kind.VIEW).weight == 3.0
    assert Signal.objects.get(buyer=f"user:{ada.pk}", kind=Signal.Kind.CART_ADD).weight == 2.0
    assert Signal.objects.filter(kind=Signal.Kind.VIEW).count() == 1


def test_rebuild_recreates_the_order_signals_and_keeps_the_others(shop: Shop) -> None:
    product_viewed(user_id=shop.u["ada"].pk, product_public_id=shop.p["cup"].public_id)
    before = rows()
    Signal.objects.filter(kind=Signal.Kind.PURCHASE).delete()
    out = StringIO()
    call_command("recs", "rebuild", "--json", stdout=out, verbosity=0)
    counts = json.loads(out.getvalue().strip().splitlines()[-1])
    assert rows() == before
    assert counts["signals"] == Signal.objects.filter(kind=Signal.Kind.PURCHASE).count() == 24
    assert counts["orders"] == 15
