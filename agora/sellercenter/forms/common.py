"""Field helpers shared by the seller-center forms: money in major units, countries in the
user's language, key=value options."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pycountry
from babel import Locale
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agora.core.money import MoneyError, exponent, normalize_currency, quantize
from agora.pricing.services import MAX_AMOUNT_MINOR


def babel_locale() -> Locale:
    code = (get_language() or "en").lower()
    return Locale.parse("zh_Hans" if code.startswith("zh") else "en")


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries named in the active language (CLDR through Babel), sorted by name."""
    names = babel_locale().territories
    rows = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return [("", _("Choose a country")), *sorted(rows, key=lambda r: r[1])]


def clean_currency(value: str) -> str:
    try:
        return normalize_currency(value)
    except MoneyError as exc:
        raise forms.ValidationError(
            _("%(value)s is not a currency code; use three letters such as EUR."),
            params={"value": value},
        ) from exc


def minor_units(amount: Decimal | str, currency: str) -> int:
    """A price typed in major units (``12.99``) as integer minor units, refusing more decimals
    than the currency has rather than rounding them away."""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation as exc:
        raise forms.ValidationError(
            _("%(value)s is not a number."), params={"value": amount}
        ) from exc
    if not value.is_finite() or value < 0:
        raise forms.ValidationError(_("A price is a number of zero or more."))
    places = exponent(currency)
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise forms.ValidationError(
            _("%(currency)s has %(places)s decimal places; %(value)s has more."),
            params={"currency": currency, "places": places, "value": amount},
        )
    minor = quantize(value, currency)
    if minor > MAX_AMOUNT_MINOR:
        raise forms.ValidationError(_("This price is too large."))
    return minor


def parse_options(text: str) -> dict[str, str]:
    """``size=M; colour=red`` → ``{"size": "M", "colour": "red"}``."""
    options: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise forms.ValidationError(
                _(
                    "Write options as name=value pairs separated by semicolons, "
                    "e.g. size=M; colour=red."
                )
            )
        options[name.strip()] = value.strip()
    return options


def format_options(options: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in (options or {}).items())
