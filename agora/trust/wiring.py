"""What trust plugs in at start-up: the answer to ``storefront.product_reviews``."""

from __future__ import annotations


def connect() -> None:
    from agora.core.extension_points import product_reviews
    from agora.trust.selectors import product_reviews_summary

    product_reviews.register(product_reviews_summary, key="trust.reviews")
