"""The extension points commerce offers to capability apps. Each says what it is called with and
what it must return; commerce works when nothing is registered."""

from __future__ import annotations

from agora.core.extensions import extension_point

product_badges = extension_point(
    "catalog.product_badges",
    "Called with a product's public id; returns a list of short badge dicts "
    "({'code', 'label'}) that a capability (sustainability, traceability) vouches for.",
)

recommendations = extension_point(
    "storefront.recommendations",
    "Called with (buyer user id or None, limit); returns a list of (product public id, reason) "
    "pairs. When none is registered the storefront shows popular items.",
)

checkout_adjustments = extension_point(
    "checkout.adjustments",
    "Called with a cart snapshot; returns price adjustments (loyalty, promotions) as "
    "(code, label, Money) tuples applied before tax.",
)
