"""Plain-text rules for what people write (reviews, notices, statements): pure functions."""

from __future__ import annotations

import re
import unicodedata

from agora.core.errors import invalid

# C0/C1 controls except tab and newline; also lone carriage returns (normalised to newlines).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(field_name: str, value: object, *, limit: int, required: bool = True) -> str:
    """Normalises text to NFC with control characters stripped, then checks it is present (when
    required) and at most ``limit`` characters. Markup is kept as typed: it is text, and every
    page escapes it on output."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid(field_name, f"must be text, not {type(value).__name__}")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text).strip()
    if required and not text:
        raise invalid(field_name, "is required")
    if len(text) > limit:
        raise invalid(field_name, f"is {len(text)} characters long; at most {limit} are allowed")
    return text


def parse_rating(value: object) -> int:
    """A whole number of stars from 1 to 5; anything else names the field and the range."""
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        raise invalid("rating", f"{value!r} is not a whole number from 1 to 5") from None
    if not 1 <= rating <= 5:
        raise invalid("rating", f"{rating} is out of range; give 1 to 5 stars")
    return rating
