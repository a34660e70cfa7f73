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
    "Called with (buyer user id or None, limit) for the home page, and with keyword arguments "
    "placement ('product', 'cart' or 'order') and anchors (product public ids) elsewhere; "
    "returns a list of (product public id, reason) pairs. When none is registered the "
    "storefront shows popular items.",
)

checkout_adjustments = extension_point(
    "checkout.adjustments",
    "Called with a cart snapshot; returns price adjustments (loyalty, promotions) as "
    "(code, label, Money) tuples applied before tax.",
)

product_reviews = extension_point(
    "storefront.product_reviews",
    "Called with (product public id, language code); returns None (no opinion) or a dict "
    "{'count': int, 'average': Decimal | None, 'reviews': [{'author', 'rating' (1-5), 'title', "
    "'body', 'created_at'}]}, newest first. When none is registered the product page says "
    "'No reviews yet'.",
)

product_footprint = extension_point(
    "catalog.product_footprint",
    "Called with a product's public id; returns None (nothing stated) or a dict "
    "{'kg_co2e': Decimal (per unit), 'basis': 'lca' | 'epd' | 'supplier' | 'category_average', "
    "'basis_label': str, 'reference': str, 'assessed_on': date, 'is_average': bool, "
    "'average': None or {'description', 'per', 'scope', 'source', 'year', 'url', 'kg_co2e', "
    "'functional_units'}}. The passport and product pages show it with its basis; without one "
    "the passport falls back to its own carbon field.",
)

passport_history = extension_point(
    "traceability.passport_history",
    "Called with (gtin (14 digits), serial or None); returns a list of ownership dicts "
    "{'holder': pseudonymous str, 'since': date, 'kind': 'original' | 'resale', 'grade': str} "
    "oldest first (circular's resale records who held a resold unit). The passport page shows "
    "them as the item's ownership history; with none registered it shows nothing.",
)

order_line_passport = extension_point(
    "circular.order_line_passport",
    "Called with (order public id, line number); returns None or a dict {'digital_link': str, "
    "'gtin': str, 'serial': str or ''} naming the traced item (or product passport) the line "
    "delivered, so a resale request can carry it. With none registered a resale request "
    "carries only the variant's GTIN.",
)

consent = extension_point(
    "privacy.consent",
    "Called with (subject, purpose): subject names a buyer as 'user:<pk>' or 'guest:<hash>', "
    "purpose is 'analytics', 'personalisation' or 'marketing'; returns True when the person's "
    "current consent covers it. Consumers never call it directly but through "
    "agora.core.consent.allowed, which answers False for every purpose but 'necessary' when "
    "none is registered (privacy by default).",
)

personal_data = extension_point(
    "privacy.personal_data",
    "Called with a user id; returns None or (section title, data): what this app holds about "
    "the person, as JSON-able data (lists of dicts with plain values), opened from the vault "
    "where sealed. The privacy app's export puts every section into one JSON file and one "
    "readable HTML page.",
)

personal_data_erase = extension_point(
    "privacy.erase",
    "Called with a user id inside the erasure's transaction; deletes or pseudonymises what "
    "this app derived from the person (signals, analytics rows, logs, copies of contact "
    "details) and keeps what the law requires with its personal fields destroyed; returns a "
    "dict {kind: rows changed}. The privacy app then destroys the person's keys and publishes "
    "'erasure.completed'.",
)

retention_rules = extension_point(
    "privacy.retention_rules",
    "Called with nothing; returns a list of agora.core.retention.RetentionRule: each kind of "
    "data the registering app keeps, from when its age counts, the default period and what "
    "happens after it (delete, pseudonymise, or keep with the reason). The privacy app's daily "
    "sweep applies them with the periods of settings.AGORA_RETENTION; with nothing applying "
    "them nothing expires.",
)
