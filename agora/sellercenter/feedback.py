"""Turning a service's refusal into messages next to the form fields, in the user's language.

Services speak English to logs and the API (their ``detail`` names values and ids); a page shows
the problem type's meaning in the active language, on the field the service named. Forms check
most input themselves first (with Django's translated messages), so a service refusal on a page
is the rarer case: a clash with stored data (a SKU in use, too little stock, a state change that
is not allowed).
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agora.core.errors import AgoraError

# Problem type slug → what it means for a person filling in the form.
_MEANINGS = {
    "sku-taken": _("This SKU is already used by another of your variants."),
    "product-slug-taken": _("Another of your products already uses this web address."),
    "gtin-invalid": _("This is not a valid GTIN (8, 12, 13 or 14 digits with a check digit)."),
    "product-not-publishable": _("A product needs at least one variant with a price."),
    "seller-slug-taken": _("This shop name is already taken; choose another."),
    "vat-id-invalid": _("This VAT id is not valid for the chosen country."),
    "seller-not-active": _("Your shop is not active yet; an operator must verify it first."),
    "over-shipped": _("More units than are left to ship on this line."),
    "over-returned": _("More units than can still be returned."),
    "carrier-unknown": _("This carrier is not available."),
    "stock-insufficient": _(
        "Not enough stock: on hand cannot fall below zero or the reserved units."
    ),
    "location-name-taken": _("You already have a stock location with this name."),
    "nothing-to-pay-out": _("There is no payable balance to pay out."),
    "refund-exceeds-paid": _("The refund is more than the buyer paid."),
    "webhook-url-invalid": _("Use an https:// address (http:// only for localhost)."),
    "webhook-event-unknown": _("Unknown event type."),
    "webhook-endpoint-disabled": _("The endpoint is disabled; enable it first."),
    "invalid-state-transition": _("That is not possible in the current state."),
    "currency-unknown": _("Unknown currency; use a three-letter ISO code such as EUR."),
    "last-price-of-published-product": _("Unpublish the product before removing its last price."),
    "forbidden": _("Your role does not allow this."),
    "payment-provider-refused": _("The payment provider refused; try again later."),
}


def meaning(exc: AgoraError) -> str:
    """The refusal in the user's language; a plain validation error keeps the service's own
    detail (it names the value) behind a translated lead-in."""
    text = _MEANINGS.get(exc.problem.slug)
    if text is not None:
        return str(text)
    return gettext("Not accepted: %(detail)s") % {"detail": exc.detail}


def _field_name(path: str) -> str:
    """``variants[0].prices[1].amount_minor`` → ``amount_minor``: the leaf names the form field."""
    return re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]


def add_service_error(
    form: forms.Form, exc: AgoraError, aliases: dict[str, str] | None = None
) -> None:
    """Puts ``exc`` on the fields it names (through ``aliases`` when the service's name differs
    from the form's), or on the form as a whole when it names none of them."""
    aliases = aliases or {}
    placed = False
    for error in exc.errors:
        name = aliases.get(error.field) or aliases.get(_field_name(error.field))
        name = name or _field_name(error.field)
        if name in form.fields and name not in (form.errors or {}):
            text = meaning(exc) if exc.problem.slug != "validation-error" else None
            form.add_error(
                name, text or gettext("Not accepted: %(detail)s") % {"detail": error.message}
            )
            placed = True
    if not placed:
        form.add_error(None, meaning(exc))
