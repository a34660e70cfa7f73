"""Use cases of pricing: set or withdraw a variant's price in a currency, always recording the
change in the price history (the EU Omnibus "prior price" is computed from it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from agora.catalog.models import Category, Product, Variant
from agora.catalog.services import VariantInput, product_create, variant_add, variant_update
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import AgoraError, FieldError, invalid
from agora.core.events import publish
from agora.core.money import Money, MoneyError, normalize_currency
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access
from agora.pricing import errors
from agora.pricing.events import PriceChanged
from agora.pricing.models import Price, PriceChange

MAX_AMOUNT_MINOR = 10**13  # ten billion in a two-decimal currency: beyond that it is a typo


def _currency(code: str, path: str) -> str:
    try:
        return normalize_currency(code)
    except MoneyError as exc:
        raise AgoraError(errors.CURRENCY_UNKNOWN, str(exc), [FieldError(path, str(exc))]) from exc


def price_set(
    *,
    actor: Actor,
    variant: Variant,
    currency: str,
    amount_minor: int,
    source: str = "api",
    effective_at: datetime | None = None,
    path: str = "amount_minor",
) -> Price:
    """Sets the price; a call that changes nothing writes nothing."""
    require_seller_access(actor, variant.product.seller, "pricing:write")
    currency = _currency(
        currency, path.rsplit(".", 1)[0] + ".currency" if "." in path else "currency"
    )
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise invalid(path, "must be an integer number of minor units (e.g. 1299 for 12.99)")
    if amount_minor < 0:
        raise invalid(path, f"{amount_minor} is negative; prices are zero or more")
    if amount_minor > MAX_AMOUNT_MINOR:
        raise invalid(path, f"{amount_minor} is larger than {MAX_AMOUNT_MINOR}")
    Money(amount_minor, currency)  # one more guard that the pair is valid money
    moment = effective_at or clock.now()
    with transaction.atomic():
        price = Price.objects.select_for_update().filter(variant=variant, currency=currency).first()
        old = price.amount_minor if price else None
        if old == amount_minor:
            return price  # type: ignore[return-value]
        if price is None:
            price = Price.objects.create(
                variant=variant,
                seller_id=variant.seller_id,
                currency=currency,
                amount_minor=amount_minor,
                updated_at=moment,
            )
        else:
            price.amount_minor, price.updated_at = amount_minor, moment
            price.save(update_fields=["amount_minor", "updated_at"])
        _record_change(actor, variant, currency, old, amount_minor, moment, source)
    return price


def price_remove(*, actor: Actor, variant: Variant, currency: str) -> None:
    """Withdraws the price in one currency (the variant is then not sold in it)."""
    require_seller_access(actor, variant.product.seller, "pricing:write")
    currency = _currency(currency, "currency")
    with transaction.atomic():
        price = Price.objects.select_for_update().filter(variant=variant, currency=currency).first()
        if price is None:
            return
        old = price.amount_minor
        price.delete()
        product = Product.objects.select_for_update().get(pk=variant.product_id)
        if (
            product.status == Product.Status.PUBLISHED
            and not Price.objects.filter(variant__product=product).exists()
        ):
            raise AgoraError(
                errors.LAST_PRICE,
                f"{currency} is the last price of published product {product.public_id}; "
                "unpublish it first or set another price",
            )
        _record_change(actor, variant, currency, old, None, clock.now(), "api")


def _record_change(
    actor: Actor,
    variant: Variant,
    currency: str,
    old: int | None,
    new: int | None,
    moment: datetime,
    source: str,
) -> None:
    """The three traces of every price change: history row, audit entry, ``price.changed``."""
    PriceChange.objects.create(
        variant=variant,
        currency=currency,
        amount_minor=new,
        effective_at=moment,
        source=source,
        actor_label=actor.label[:200],
    )
    audit_record(
        actor=actor,
        action="price.changed" if new is not None else "price.removed",
        target=variant,
        changes={"currency": currency, "amount_minor": [old, new]},
        seller_id=variant.seller_id,
    )
    publish(
        PriceChanged(
            product_id=variant.product.public_id,
            variant_id=variant.public_id,
            seller_id=variant.product.seller.public_id,
            currency=currency,
            old_amount_minor=old,
            new_amount_minor=new,
        )
    )


@dataclass
class PricedVariantInput(VariantInput):
    prices: list[tuple[str, int]] = field(default_factory=list)


def product_create_priced(
    *,
    actor: Actor,
    seller: Seller,
    title: str,
    variants: list[PricedVariantInput],
    category: Category | None = None,
    **product_fields: Any,
) -> Product:
    """Creates a product, its variants and their prices as one unit: all or nothing."""
    if any(v.prices for v in variants):  # an unpriced draft needs only catalog:write
        require_seller_access(actor, seller, "pricing:write")
    for i, v in enumerate(variants):
        seen: set[str] = set()
        for j, (currency, _) in enumerate(v.prices):
            code = _currency(currency, f"variants[{i}].prices[{j}].currency")
            if code in seen:
                raise invalid(f"variants[{i}].prices[{j}].currency", f"{code} is given twice")
            seen.add(code)
    with transaction.atomic():
        product = product_create(
            actor=actor,
            seller=seller,
            title=title,
            category=category,
            variants=variants,
            **product_fields,
        )
        for i, (variant, data) in enumerate(
            zip(product.variants.order_by("position"), variants, strict=True)
        ):
            for j, (currency, amount) in enumerate(data.prices):
                price_set(
                    actor=actor,
                    variant=variant,
                    currency=currency,
                    amount_minor=amount,
                    path=f"variants[{i}].prices[{j}].amount_minor",
                )
    return product


def variant_add_priced(
    *, actor: Actor, product: Product, data: PricedVariantInput, source: str = "api"
) -> Variant:
    """Adds a variant with its prices as one unit: a refused price leaves no unpriced variant."""
    with transaction.atomic():
        variant = variant_add(actor=actor, product=product, data=data)
        for currency, amount in data.prices:
            price_set(
                actor=actor, variant=variant, currency=currency, amount_minor=amount, source=source
            )
    return variant


def variant_update_priced(
    *,
    actor: Actor,
    variant: Variant,
    changes: dict[str, Any],
    prices: list[tuple[str, int]],
    source: str = "api",
) -> Variant:
    """Changes a variant's fields and sets its prices as one unit: all or nothing."""
    with transaction.atomic():
        variant = variant_update(actor=actor, variant=variant, changes=changes)
        for currency, amount in prices:
            price_set(
                actor=actor, variant=variant, currency=currency, amount_minor=amount, source=source
            )
    return variant
