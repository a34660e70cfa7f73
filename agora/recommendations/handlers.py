"""Recommendations hear about commerce through events (registered in ``apps.py``).

Each handler recomputes the signals of the order the event names from the order as it stands
(``signals.signals_refresh_orders``), so a redelivered or late event changes nothing twice:
``order.paid`` adds the purchase, ``order.cancelled`` and ``refund.issued`` remove what was
cancelled or refunded, ``return.received`` turns returned units into a negative signal.
"""

from __future__ import annotations

from typing import Any

from agora.core.events import handles
from agora.recommendations.signals import signals_refresh_orders

ORDER_EVENTS = ("order.paid", "order.cancelled", "return.received", "refund.issued")


def _refresh_order(event: Any, event_id: str) -> None:
    signals_refresh_orders(order_public_ids=[event.order_id])


for _name in ORDER_EVENTS:
    handles(_name, name=f"recs.signals_{_name.replace('.', '_')}")(_refresh_order)
