"""Cursor pagination over public ids (ULIDs sort by creation time).

A cursor is the last public id of a page, base64url-encoded so clients treat it as opaque. Unlike
offsets, a cursor page stays correct while rows are added and costs one index range scan however
deep the client pages.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import QuerySet

from agora.core.errors import invalid
from agora.core.ids import is_public_id

T = TypeVar("T")
MAX_LIMIT = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(public_id: str) -> str:
    return base64.urlsafe_b64encode(public_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value = ""
    if not is_public_id(value):
        raise invalid("cursor", "is not a cursor this API returned; start again without one")
    return value


def paginate(
    queryset: QuerySet, *, cursor: str | None, limit: int, newest_first: bool = True
) -> Page:
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", f"{limit} is outside 1..{MAX_LIMIT}")
    order = "-public_id" if newest_first else "public_id"
    if cursor:
        last = decode_cursor(cursor)
        queryset = queryset.filter(**{"public_id__lt" if newest_first else "public_id__gt": last})
    rows = list(queryset.order_by(order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].public_id) if more and rows else None)
