"""The demo store's green labels and product footprints (issue 7, part S2): the e-bikes and
bags, whose passports promise spare parts for 10 years with repair information, carry a
"Repairable" label computed from that rule; organic teas carry an "Organic" label resting on
the (demo) certificate number in their passport; e-bikes and books state the cited category
average as their footprint. Labels are requested and granted through the services, as a seller
and an operator would; a second run writes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from agora.catalog.models import Product
from agora.core import clock
from agora.core.actors import Actor
from agora.demo.generate import DemoSpec
from agora.sustainability.labels.services import label_request, label_review
from agora.sustainability.models import GreenLabel, ProductFootprint
from agora.sustainability.products.services import footprint_set

REPAIRABLE_CATEGORIES = {"e-bikes", "cargo-bikes", "bags"}
AVERAGE_FOR = {"e-bikes": "e-bike-eu", "fiction": "paperback-book"}
ORGANIC_URL = "https://agriculture.ec.europa.eu/farming/organic-farming_en"


def build_sustainability(spec: DemoSpec, *, actor: Actor) -> Counter[str]:
    created: Counter[str] = Counter()
    slugs = {s.slug for s in spec.sellers}
    products = Product.objects.filter(
        seller__slug__in=slugs, status=Product.Status.PUBLISHED
    ).select_related("seller", "category")
    have_labels = set(GreenLabel.objects.values_list("product_id", "kind"))
    have_footprints = set(ProductFootprint.objects.values_list("product_id", flat=True))
    today = clock.now().date()
    for product in products.order_by("pk"):
        category = product.category.slug if product.category else ""
        if category in REPAIRABLE_CATEGORIES and (product.pk, "repairable") not in have_labels:
            label = label_request(actor=actor, product=product, kind="repairable", use_rule=True)
            label_review(actor=actor, label=label, grant=True, note="demo: rule checked")
            created["green labels"] += 1
        if product.attributes.get("organic") and (product.pk, "organic") not in have_labels:
            label = label_request(
                actor=actor,
                product=product,
                kind="organic",
                scheme="EU organic",
                evidence_url=ORGANIC_URL,
                evidence_number=f"DEMO-{product.seller.country}-ÖKO-001",
                expires_on=date(today.year + 1, 12, 31),
            )
            label_review(actor=actor, label=label, grant=True, note="demo: certificate checked")
            created["green labels"] += 1
        key = AVERAGE_FOR.get(category)
        if key and product.pk not in have_footprints:
            footprint_set(
                actor=actor,
                product=product,
                basis="category_average",
                average_key=key,
                assessed_on=today - timedelta(days=30),
            )
            created["product footprints"] += 1
    return created
