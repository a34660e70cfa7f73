"""Which event names an endpoint may subscribe to, and which scope lets an app receive them."""

from __future__ import annotations

from agora.core import events

# DESIGN.md §4 and docs/architecture.md: names that exist or are being built. Event classes that
# are loaded (every app's events.py is imported at start-up) are added to these.
DOCUMENTED = frozenset(
    {
        "order.placed",
        "order.paid",
        "order.cancelled",
        "order.shipped",
        "order.delivered",
        "order.completed",
        "return.requested",
        "refund.issued",
        "stock.changed",
        "stock.low",
        "price.changed",
        "product.published",
        "product.unpublished",
        "product.updated",
        "product.deleted",
        "review.posted",
        "shipment.updated",
        "payment.released",
        "telemetry.alert",
        "groupbuy.succeeded",
        "groupbuy.failed",
        "presale.succeeded",
        "presale.failed",
        "subscription.renewed",
        "consent.changed",
        "erasure.completed",
        "webhook.endpoint_disabled",
    }
)
WILDCARD = "*"

# An app endpoint (owned by an app key, not a seller) receives every seller's events of a family
# only when its key holds that family's read scope. An event whose family is not listed here is
# never sent to apps: a new family is opened to apps on purpose, not by accident.
_APP_SCOPE_FAMILY = {
    "product": "catalog",
    "category": "catalog",
    "price": "pricing",
    "stock": "inventory",
    "order": "orders",
    "return": "orders",
    "refund": "orders",
    "shipment": "orders",
    "payment": "orders",
    "seller": "sellers",
}


def known_event_types() -> frozenset[str]:
    loaded = {
        name for name in events.event_names() if "." in name and not name.startswith("tests.")
    }
    return DOCUMENTED | loaded


def app_may_receive(scopes: list[str], event_name: str) -> bool:
    family = _APP_SCOPE_FAMILY.get(event_name.partition(".")[0])
    return family is not None and bool({f"{family}:read", f"{family}:write"} & set(scopes))
