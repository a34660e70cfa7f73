"""The demo store's rentals (issue 7, part C1): the cargo bikes of the euro shops can also be
rented by the day or the month with a deposit and a late fee, two bikes (units) each, so the
product page shows its "Rent" section and calendar on a fresh install. Offers are created
through the rental services, as a seller would; a second run writes nothing. Our demo terms,
not anyone's published prices."""

from __future__ import annotations

from collections import Counter

from agora.catalog.models import Product
from agora.circular.models import RentalOffer
from agora.circular.rental.services import rental_offer_create, rental_unit_add
from agora.core.actors import Actor
from agora.demo.generate import DemoSpec, ProductSpec, SellerSpec

RENTAL_CATEGORIES = {"cargo-bikes"}
RENTAL_CURRENCY = "EUR"
MAX_OFFERS = 4
UNITS = 2
TERMS = {
    "price_per_day_minor": 3500,
    "price_per_month_minor": 45000,
    "deposit_minor": 30000,
    "late_fee_per_day_minor": 4000,
    "min_days": 1,
    "max_days": 90,
}


def rental_products(spec: DemoSpec) -> list[tuple[SellerSpec, ProductSpec]]:
    """The demo products offered for rent (the browser test finds them the same way)."""
    picked = [
        (seller, product)
        for seller in spec.sellers
        if seller.data.currency == RENTAL_CURRENCY
        for product in seller.products
        if product.category in RENTAL_CATEGORIES
    ]
    return picked[:MAX_OFFERS]


def build_rental(spec: DemoSpec, *, actor: Actor) -> Counter[str]:
    created: Counter[str] = Counter()
    for seller_spec, product_spec in rental_products(spec):
        product = (
            Product.objects.filter(
                seller__slug=seller_spec.slug,
                slug=product_spec.slug,
                status=Product.Status.PUBLISHED,
            )
            .select_related("seller")
            .first()
        )
        if product is None or RentalOffer.objects.filter(product=product).exists():
            continue
        offer = rental_offer_create(
            actor=actor,
            seller=product.seller,
            product=product,
            currency=RENTAL_CURRENCY,
            **TERMS,
        )
        created["rental offers"] += 1
        for n in range(1, UNITS + 1):
            rental_unit_add(actor=actor, offer=offer, label=f"{product_spec.title[:80]} #{n}")
            created["rental units"] += 1
    return created
