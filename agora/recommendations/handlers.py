"""Recommendations hear about commerce through events (registered in ``apps.py``).

Each handler recomputes the signals of the order the event names from the order as it stands
(``signals.signals_refresh_orders``), so a redelivered or late event changes nothing twice:
``order.paid`` adds the purchase, ``order.cancelled`` and ``refund.issued`` remove what was
cancelled or refunded, ``return.received`` turns returned units into a negative signal;
``consent.changed`` forgets or restores a buyer's signals with their consent to personalisation.
"""

from __future__ import annotations

from typing import Any

from agora.core.consent import PERSONALISATION
from agora.core.events import handles
from agora.recommendations.signals import (
    signals_forget_buyer,
    signals_refresh_buyer,
    signals_refresh_orders,
)

ORDER_EVENTS = ("order.paid", "order.cancelled", "return.received", "refund.issued")


def _refresh_order(event: Any, event_id: str) -> None:
    signals_refresh_orders(order_public_ids=[event.order_id])


for _name in ORDER_EVENTS:
    handles(_name, name=f"recs.signals_{_name.replace('.', '_')}")(_refresh_order)


def _consent_changed(event: Any, event_id: str) -> None:
    """Personalisation withdrawn: what we kept about the buyer for it goes (their "not
    interested" choices stay: they are instructions, not a profile). Given again: their orders'
    signals come back from the orders, as a rebuild would make them."""
    if event.purpose != PERSONALISATION:
        return
    if event.granted:
        signals_refresh_buyer(buyer=event.subject)
    else:
        signals_forget_buyer(buyer=event.subject)


handles("consent.changed", name="recs.consent_changed")(_consent_changed)
