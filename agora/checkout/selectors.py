"""Cart reads. :func:`cart_summary` builds the whole cart page (per-seller groups, prices,
weights, shipping options and VAT) from a constant number of queries, as plain documents."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Sum

from agora.catalog.documents import money_document
from agora.catalog.models import Product
from agora.checkout.models import Cart, CartLine, SellerTaxProfile
from agora.checkout.quotes import DEFAULT_WEIGHT_GRAMS, parcel_weight, quote
from agora.checkout.shipping import methods_for_sellers
from agora.checkout.tax.compute import TaxLine, compute_tax
from agora.checkout.tax.runtime import rate_table
from agora.core.errors import AgoraError
from agora.marketplace.states import SellerState
from agora.pricing.quote import quote_many

# Until catalog carries a tax category per product, it is read from the product's attributes
# (``{"tax_category": "reduced"}``), standard otherwise.
TAX_CATEGORY_ATTRIBUTE = "tax_category"


def default_weight_grams() -> int:
    return int(getattr(settings, "AGORA_DEFAULT_WEIGHT_GRAMS", DEFAULT_WEIGHT_GRAMS))


def prices_include_tax(seller_ids: list[int]) -> dict[int, bool]:
    """Each seller's price mode: its profile, else the setting AGORA_PRICES_INCLUDE_TAX."""
    default = bool(getattr(settings, "AGORA_PRICES_INCLUDE_TAX", True))
    modes = dict(
        SellerTaxProfile.objects.filter(seller_id__in=seller_ids).values_list(
            "seller_id", "prices_include_tax"
        )
    )
    return {sid: modes.get(sid, default) for sid in seller_ids}


def cart_for_buyer(*, buyer: Any) -> Cart | None:
    return Cart.objects.filter(buyer=buyer, status=Cart.Status.OPEN).first()


def cart_for_guest(*, session_key: str) -> Cart | None:
    if not session_key:
        return None
    return Cart.objects.filter(session_key=session_key, buyer=None, status=Cart.Status.OPEN).first()


def cart_units(*, cart: Cart) -> int:
    """How many units the cart holds (the header's cart badge), in one query."""
    return CartLine.objects.filter(cart=cart).aggregate(units=Sum("quantity"))["units"] or 0


def _problem(error: AgoraError) -> dict[str, Any]:
    return {"type": error.problem.uri, "title": error.problem.title, "detail": error.detail}


def cart_summary(cart: Cart) -> dict[str, Any]:
    """The cart grouped by seller (the orders checkout will create), with current unit prices in
    the cart's currency, subtotals, parcel weights and, once a destination is set, shipping
    options and VAT per line. Lines no longer on sale stay listed with ``available: false`` and
    the reason, and count in no total. All amounts are integer minor units."""
    currency = cart.currency
    rows = list(
        CartLine.objects.filter(cart=cart)
        .order_by("added_at", "id")
        .values(
            "quantity",
            "variant_id",
            "variant__public_id",
            "variant__sku",
            "variant__title",
            "variant__weight_grams",
            "variant__product__public_id",
            "variant__product__title",
            "variant__product__status",
            "variant__product__attributes",
            "variant__seller_id",
            "variant__seller__public_id",
            "variant__seller__display_name",
            "variant__seller__country",
            "variant__seller__state",
        )
    )
    # Unit prices come from pricing's one quoting function, which takes no buyer (issue 8).
    quotes = quote_many(
        [r["variant_id"] for r in rows], channel="cart", currency=currency, with_prior=False
    )
    prices = {variant_id: q.amount_minor for variant_id, q in quotes.items()}
    seller_ids = list(dict.fromkeys(r["variant__seller_id"] for r in rows))
    modes = prices_include_tax(seller_ids)
    destination = bool(cart.country)
    methods = methods_for_sellers(seller_ids) if destination else {}
    table = rate_table(countries={cart.country}) if destination else {}
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["variant__seller_id"]].append(row)
    sellers = [
        _seller_group(cart, group, prices, modes[sid], methods.get(sid, []), table)
        for sid, group in groups.items()
    ]
    items = sum(g["subtotal"]["amount_minor"] for g in sellers)
    taxed = destination and all(g["tax"] is not None for g in sellers)
    tax = sum(g["tax"]["tax"]["amount_minor"] for g in sellers) if taxed else None
    gross = sum(g["tax"]["gross"]["amount_minor"] for g in sellers) if taxed else None
    return {
        "id": cart.public_id,
        "currency": currency,
        "destination": (
            {"country": cart.country, "postcode": cart.postcode, "vat_id": cart.vat_id}
            if destination
            else None
        ),
        "sellers": sellers,
        "line_count": len(rows),
        "totals": {
            "items": money_document(items, currency),
            "tax": money_document(tax, currency) if tax is not None else None,
            "items_gross": money_document(gross, currency) if gross is not None else None,
        },
        "updated_at": cart.updated_at,
    }


def _unavailable(row: dict[str, Any], has_price: bool) -> str | None:
    if row["variant__product__status"] != Product.Status.PUBLISHED:
        return "the product is no longer on sale"
    if row["variant__seller__state"] != SellerState.ACTIVE:
        return "the seller is not active"
    if not has_price:
        return "no longer sold in the cart's currency"
    return None


def _seller_group(
    cart: Cart,
    rows: list[dict[str, Any]],
    prices: dict[int, int],
    include_tax: bool,
    methods: list[Any],
    table: Any,
) -> dict[str, Any]:
    currency = cart.currency
    first = rows[0]
    lines, tax_lines, weights = [], [], []
    subtotal = 0
    for row in rows:
        unit = prices.get(row["variant_id"])
        reason = _unavailable(row, unit is not None)
        category = (row["variant__product__attributes"] or {}).get(
            TAX_CATEGORY_ATTRIBUTE, "standard"
        )
        line_total = (unit or 0) * row["quantity"]
        lines.append(
            {
                "variant_id": row["variant__public_id"],
                "product_id": row["variant__product__public_id"],
                "sku": row["variant__sku"],
                # The product's name with the variant's ("Oatmeal mug — Set of 4"): the line
                # is copied into the order, whose pages must say what was bought.
                "title": " — ".join(
                    t for t in (row["variant__product__title"], row["variant__title"]) if t
                ),
                "variant_title": row["variant__title"] or "",
                "quantity": row["quantity"],
                "weight_grams": row["variant__weight_grams"],
                "available": reason is None,
                "unavailable_reason": reason,
                "unit_price": money_document(unit, currency) if unit is not None else None,
                "line_total": money_document(line_total, currency),
                "tax_category": category,
                "tax": None,
            }
        )
        if reason is None:
            subtotal += line_total
            weights.append((row["variant__weight_grams"], row["quantity"]))
            tax_lines.append(TaxLine(row["variant__public_id"], unit, row["quantity"], category))
    weight = parcel_weight(weights, default_weight_grams())
    group: dict[str, Any] = {
        "seller": {
            "id": first["variant__seller__public_id"],
            "name": first["variant__seller__display_name"],
            "country": first["variant__seller__country"],
        },
        "prices_include_tax": include_tax,
        "lines": lines,
        "subtotal": money_document(subtotal, currency),
        "weight_grams": weight,
        "shipping": None,
        "tax": None,
    }
    if not cart.country:
        return group
    try:
        options = quote(
            methods=methods,
            country=cart.country,
            weight_grams=weight,
            subtotal_minor=subtotal,
            currency=currency,
            seller_name=first["variant__seller__display_name"],
        )
        group["shipping"] = {
            "options": [
                {
                    "method_id": o.method_id,
                    "name": o.name,
                    "carrier_code": o.carrier_code,
                    "zone": o.zone,
                    "min_delivery_days": o.min_delivery_days,
                    "max_delivery_days": o.max_delivery_days,
                    "price": money_document(o.amount_minor, currency),
                    "free": o.free,
                }
                for o in options
            ],
            "problem": None,
        }
    except AgoraError as exc:
        group["shipping"] = {"options": [], "problem": _problem(exc)}
    try:
        result = compute_tax(
            lines=tax_lines,
            currency=currency,
            seller_country=first["variant__seller__country"],
            country=cart.country,
            postcode=cart.postcode,
            prices_include_tax=include_tax,
            buyer_vat_id=cart.vat_id,
            table=table,
        )
    except AgoraError as exc:
        group["tax_problem"] = _problem(exc)
        return group
    by_key = {t.key: t for t in result.lines}
    for line in lines:
        if (taxed := by_key.get(line["variant_id"])) is not None and line["available"]:
            line["tax"] = {
                "rate": format(taxed.rate.normalize(), "f"),
                "net": money_document(taxed.net_minor, currency),
                "tax": money_document(taxed.tax_minor, currency),
                "gross": money_document(taxed.gross_minor, currency),
            }
    group["tax"] = {
        "regime": result.regime,
        "notes": list(result.notes),
        "net": money_document(result.net_minor, currency),
        "tax": money_document(result.tax_minor, currency),
        "gross": money_document(result.gross_minor, currency),
        "by_rate": {k: money_document(v, currency) for k, v in result.by_rate.items()},
    }
    return group
