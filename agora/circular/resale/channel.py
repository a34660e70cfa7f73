"""Who lists a buyer's resold item, and the catalog attributes a resale listing carries.

Decision (issue 7, C2): items a buyer resells are inspected and listed by **the platform's
resale seller** (slug ``agora-resale``), an ordinary seller created on first use, active, with
one inspection centre as its stock location. So the resale sale goes through checkout, escrow
and payouts like any sale; the original seller is not involved (an opt-in for original sellers
to act as the channel is a possible later extension). Sellers listing their own used goods
act as their own channel.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction

from agora.catalog.models import Attribute
from agora.core.actors import system
from agora.inventory.models import StockLocation
from agora.inventory.services import location_create
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_apply, seller_transition

CHANNEL_SLUG = "agora-resale"
CHANNEL_COUNTRY = "DE"
CHANNEL_CURRENCY = "EUR"
CENTRE_NAME = "Resale inspection centre"
SYSTEM = system("circular.resale")

# code -> (name, value type, choices): what every resale listing says about itself.
ATTRIBUTES: dict[str, tuple[str, str, list[str]]] = {
    "condition": ("Condition", Attribute.ValueType.CHOICE, ["new", "used"]),
    "resale_grade": ("Resale grade", Attribute.ValueType.CHOICE, ["A", "B", "C"]),
    "original_product": ("Original product", Attribute.ValueType.TEXT, []),
    "purchase_date": ("Purchase date", Attribute.ValueType.TEXT, []),
    "warranty_months": ("Warranty (months)", Attribute.ValueType.NUMBER, []),
}


def ensure_attributes() -> None:
    """Defines the resale attributes once (there is no attribute service; they are data)."""
    for code, (name, kind, choices) in ATTRIBUTES.items():
        Attribute.objects.get_or_create(
            code=code, defaults={"name": name, "value_type": kind, "choices": choices}
        )


def platform_seller() -> Seller:
    """The platform's resale seller, created (applied, verified, active) on first use."""
    seller = Seller.objects.filter(slug=CHANNEL_SLUG).first()
    if seller is not None:
        return seller
    with transaction.atomic():
        seller = seller_apply(
            actor=SYSTEM,
            display_name="Agora Second Hand",
            legal_name="Agora Second Hand (platform resale)",
            country=CHANNEL_COUNTRY,
            payout_currency=CHANNEL_CURRENCY,
            slug=CHANNEL_SLUG,
            commission_bps=0,
        )
        seller = seller_transition(actor=SYSTEM, seller=seller, to="verified")
        return seller_transition(actor=SYSTEM, seller=seller, to="active")


def stock_location(seller: Seller) -> StockLocation | None:
    """Where a listed unit is stocked: the seller's first location; the platform seller gets
    its inspection centre on first use."""
    location = StockLocation.objects.filter(seller=seller).order_by("id").first()
    if location is None and seller.slug == CHANNEL_SLUG:
        location = location_create(
            actor=SYSTEM,
            seller=seller,
            name=CENTRE_NAME,
            kind="warehouse",
            country=CHANNEL_COUNTRY,
        )
    return location


def holder_ref(buyer_ref: str) -> str:
    """A pseudonymous, stable reference of a holder (keyed hash of checkout's buyer ref)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"circular.holder:{buyer_ref}".encode(), hashlib.sha256
    )
    return f"holder-{digest.hexdigest()[:16]}"
