"""Reads of green labels: the badges a product page shows, the public evidence page, and a
seller's labels."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from agora.catalog.models import Product
from agora.core import clock
from agora.sustainability.models import GreenLabel, LabelChallenge


def granted_labels(*, product_public_id: str) -> list[GreenLabel]:
    """The product's granted labels that have not expired (the sweep withdraws expired ones
    daily; until it runs they are already hidden here)."""
    return list(
        GreenLabel.objects.filter(
            product__public_id=product_public_id,
            status=GreenLabel.Status.GRANTED,
            expires_on__gte=clock.now().date(),
        ).order_by("kind", "pk")
    )


def badge_text(label: GreenLabel) -> str:
    kind = str(label.get_kind_display())
    return f"{kind}: {label.scheme}" if label.scheme else kind


def product_badges(product_public_id: str) -> list[dict[str, Any]]:
    """The ``catalog.product_badges`` implementation: one badge per granted label, each with
    the URL of its public evidence page."""
    return [
        {
            "code": f"green:{label.kind}",
            "label": badge_text(label),
            "url": reverse("sustainability_labels:evidence", args=[label.public_id]),
            "id": label.public_id,
        }
        for label in granted_labels(product_public_id=product_public_id)
    ]


def label_get(public_id: str) -> GreenLabel | None:
    return (
        GreenLabel.objects.filter(public_id=public_id).select_related("product", "seller").first()
    )


def challenges_of(label: GreenLabel) -> list[LabelChallenge]:
    return list(label.challenges.order_by("-raised_at"))


def labels_of_seller(*, seller_id: int, product: Product | None = None) -> list[GreenLabel]:
    rows = GreenLabel.objects.filter(seller_id=seller_id).select_related("product")
    if product is not None:
        rows = rows.filter(product=product)
    return list(rows.order_by("-requested_at")[:200])
