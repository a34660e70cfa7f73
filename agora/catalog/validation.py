"""Pure checks of catalogue input (no database), shared by services and importers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from stdnum import ean
from stdnum.exceptions import ValidationError

from agora.core.errors import AgoraError, FieldError, invalid

TRANSLATABLE = {
    "product": ("title", "description"),
    "category": ("name",),
    "media": ("alt",),
    "variant": ("title",),
}


def language_codes() -> set[str]:
    return {code for code, _ in settings.LANGUAGES}


def clean_gtin(value: str, field: str = "gtin") -> str:
    from agora.catalog.errors import GTIN_INVALID

    value = (value or "").strip()
    if not value:
        return ""
    try:
        return ean.validate(value)
    except ValidationError as exc:
        message = f"{value!r} is not a valid GTIN-8/12/13/14: {exc}"
        raise AgoraError(GTIN_INVALID, message, [FieldError(field, message)]) from exc


def clean_translations(
    kind: str, value: Any, field: str = "translations"
) -> dict[str, dict[str, str]]:
    """Accepts ``{"zh-hans": {"title": "…"}}`` with known languages and translatable fields."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise invalid(field, "must be an object keyed by language code")
    allowed_fields = TRANSLATABLE[kind]
    cleaned: dict[str, dict[str, str]] = {}
    for lang, fields in value.items():
        if lang not in language_codes():
            raise invalid(
                f"{field}.{lang}", f"unknown language; use one of {sorted(language_codes())}"
            )
        if not isinstance(fields, dict):
            raise invalid(f"{field}.{lang}", "must be an object of field → text")
        for name, text in fields.items():
            if name not in allowed_fields:
                raise invalid(
                    f"{field}.{lang}.{name}", f"not translatable; use {list(allowed_fields)}"
                )
            if not isinstance(text, str):
                raise invalid(f"{field}.{lang}.{name}", "must be a string")
        cleaned[lang] = {k: v.strip() for k, v in fields.items() if v.strip()}
    return {k: v for k, v in cleaned.items() if v}


def translated(obj: Any, field: str, language: str) -> str:
    """The text of ``field`` in ``language``, falling back to the default-language column."""
    lang = language.lower()
    for candidate in (lang, lang.split("-")[0]):
        text = (obj.translations or {}).get(candidate, {}).get(field)
        if text:
            return text
    return getattr(obj, field)
