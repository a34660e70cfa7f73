"""Template helpers of the seller center: state names in the user's language, minor units as
Money, and the share of a number as a percentage."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from agora.core.money import Money, MoneyError

register = template.Library()

STATES = {
    # sellers
    "applied": _("applied"),
    "verified": _("verified"),
    "active": _("active"),
    "suspended": _("suspended"),
    "rejected": _("rejected"),
    # products
    "draft": _("draft"),
    "published": _("published"),
    "archived": _("archived"),
    # orders
    "placed": _("placed, awaiting payment"),
    "paid": _("paid"),
    "partially_fulfilled": _("partly shipped"),
    "fulfilled": _("shipped"),
    "delivered": _("delivered"),
    "completed": _("completed"),
    "cancelled": _("cancelled"),
    "refunded": _("refunded"),
    "to_fulfil": _("to fulfil"),
    # shipments
    "pending": _("pending"),
    "packed": _("packed"),
    "shipped": _("shipped"),
    "in_transit": _("in transit"),
    "out_for_delivery": _("out for delivery"),
    "exception": _("carrier problem"),
    "returned_to_sender": _("returned to sender"),
    # returns
    "requested": _("requested"),
    "approved": _("approved"),
    "received": _("received"),
    "rejected_return": _("rejected"),
    # webhook deliveries
    "succeeded": _("succeeded"),
    "failed": _("failed"),
    # return lines
    "restock": _("restocked"),
    "write_off": _("written off"),
    # ledger
    "capture": _("payment captured"),
    "release": _("released to you"),
    "refund": _("refund"),
    "payout": _("payout"),
    "escrow": _("in escrow"),
    "seller_payable": _("payable"),
    "seller_payouts": _("paid out"),
}


@register.filter
def state(value: Any) -> str:
    """A state name in the active language (the raw value when we have no name for it)."""
    return str(STATES.get(str(value), value))


@register.filter
def minor(value: Any, currency: str) -> Money | None:
    """Integer minor units and a currency as Money, for the ``money`` filter."""
    try:
        return Money(int(value), str(currency))
    except (MoneyError, TypeError, ValueError):
        return None


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"
