"""What trust plugs in at start-up: the answer to ``storefront.product_reviews`` and its part
of a person's export and erasure."""

from __future__ import annotations


def connect() -> None:
    from agora.core.extension_points import personal_data, personal_data_erase, product_reviews
    from agora.trust import personal_data as mine
    from agora.trust.selectors import product_reviews_summary

    product_reviews.register(product_reviews_summary, key="trust.reviews")
    personal_data.register(mine.export, key="trust")
    personal_data_erase.register(mine.erase, key="trust")
