"""``{% rental_section product %}``: the product page's "Rent" section (offers, a month
calendar per unit, the booking form), rendered only when the product has an offer. One tag, so
the storefront's template needs one line and its view nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from agora.circular.rental import selectors
from agora.circular.rental.presenters import offer_view
from agora.circular.rental.services import today

register = template.Library()


def _month(value: str | None, fallback: date) -> date:
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2200 and 1 <= month <= 12 else fallback
    except ValueError:
        return fallback


@register.inclusion_tag("circular/rental/_product_rent.html", takes_context=True)
def rental_section(context: template.Context, product: Any) -> dict[str, Any]:
    request = context.get("request")
    now = today()
    month = _month(request.GET.get("rent_month") if request else None, now.replace(day=1))
    # the storefront hands its product as a dict (its read model); a Product works as well
    public_id = product.get("id") if isinstance(product, dict) else product.public_id
    offers = [
        offer_view(o, month=month, today=now)
        for o in selectors.offers_for_product(product_public_id=public_id or "")
    ]
    return {
        "offers": offers,
        "request": request,
        "today": now,
        "csrf_token": context.get("csrf_token"),
    }
