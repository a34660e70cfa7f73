"""Locale-aware display of money, dates and per-field catalogue translations in templates.

``{% load agora_format %}`` then ``{{ price|money }}``, ``{{ order.placed_at|local_datetime }}``,
``{{ product|tr:"title" }}``. Everything follows the language Django activated for the request
(LocaleMiddleware), so a page never mixes languages.

Locales: Django's ``zh-hans`` is formatted as ``zh_Hans_CN`` (CNY shows as ``¥``), and ``en`` as
``en_GB``: the store sells to Europe, and en_GB writes day-month-year dates with the symbol before
the amount (``€12.99``, ``£12.99``, ``CN¥88.00``), which reads naturally across the EU and the UK.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from django import template
from django.utils import timezone, translation

from agora.core.money import Money, MoneyError, exponent

register = template.Library()

# Django language code → the Babel (CLDR) locale used to format numbers and dates for it.
BABEL_LOCALES: dict[str, str] = {"en": "en_GB", "zh-hans": "zh_Hans_CN"}
DEFAULT_BABEL_LOCALE = "en_GB"


def babel_locale(language: str | None = None) -> str:
    """The CLDR locale for a Django language code (the active one by default)."""
    code = (language or translation.get_language() or "en").lower()
    if code in BABEL_LOCALES:
        return BABEL_LOCALES[code]
    base = code.split("-")[0]
    return BABEL_LOCALES.get(base, DEFAULT_BABEL_LOCALE)


def _as_money(value: Any) -> Money | None:
    if isinstance(value, Money):
        return value
    if isinstance(value, Mapping) and "amount_minor" in value and "currency" in value:
        try:
            return Money(int(value["amount_minor"]), str(value["currency"]))
        except (MoneyError, TypeError, ValueError):
            return None
    return None


def format_money(value: Any, language: str | None = None) -> str:
    """``Money`` or a money dict (``Money.as_dict()``) as text for the language; anything else
    (None, a broken dict) is shown as an empty string rather than breaking the page."""
    money = _as_money(value)
    if money is None:
        return ""
    amount = Decimal(money.amount_minor).scaleb(-exponent(money.currency))
    return format_currency(amount, money.currency, locale=babel_locale(language))


@register.filter(name="money")
def money_filter(value: Any) -> str:
    return format_money(value)


@register.filter(name="country_name")
def country_name(code: str | None) -> str:
    """An ISO 3166-1 alpha-2 code as the country's name in the active language ("DE" →
    "Germany" / "德国"); an unknown code is shown as it is."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    return Locale.parse(babel_locale()).territories.get(code, code)


@register.filter(name="local_date")
def local_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A date in the active language (``12 Mar 2026`` / ``2026年3月12日``); ``fmt`` is a Babel
    width (short, medium, long, full) or a CLDR pattern."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return format_date(value, format=fmt, locale=babel_locale())


@register.filter(name="local_datetime")
def local_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """A moment in the active language and the current time zone."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_datetime(value, format=fmt, locale=babel_locale())


def translated(obj: Any, field: str, language: str | None = None) -> str:
    """A catalogue field in the language: ``translations[lang][field]`` when present and not
    blank, else the row's own value. Works on documents (dicts) and model instances."""
    if obj is None:
        return ""
    if isinstance(obj, Mapping):
        original = obj.get(field, "")
        translations = obj.get("translations") or {}
    else:
        original = getattr(obj, field, "")
        translations = getattr(obj, "translations", None) or {}
    code = (language or translation.get_language() or "").lower()
    for key in (code, code.split("-")[0]):
        text = (translations.get(key) or {}).get(field) if key else None
        if isinstance(text, str) and text.strip():
            return text
    return "" if original is None else str(original)


@register.filter(name="tr")
def tr_filter(obj: Any, field: str) -> str:
    return translated(obj, field)


@register.simple_tag(name="tr")
def tr_tag(obj: Any, field: str) -> str:
    return translated(obj, field)
