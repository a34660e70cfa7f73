"""Public identifiers: a short type prefix and a ULID, e.g. ``prod_01jd3k6n2w9y8x7v5t4s3r2q1p``.

They sort by creation time (useful for cursor pagination and logs), say what they point at, and
never reveal a row number or how many rows a table holds.
"""

from __future__ import annotations

import os
import re
import threading
import time

from django.db import models
from ulid import ULID

_PREFIX = re.compile(r"^[a-z][a-z0-9]{1,7}$")
_PUBLIC_ID = re.compile(r"^([a-z][a-z0-9]{1,7})_([0-9a-hjkmnp-tv-z]{26})$")


_lock = threading.Lock()
_last = 0  # the last ULID this process issued, as a 128-bit integer


def _next_ulid() -> ULID:
    """A ULID greater than every one this process issued before, also across threads.

    python-ulid's own generator reads the clock outside its lock, so two threads can interleave
    and one thread's later id can sort before its earlier one. Here the clock is read under the
    lock; within one millisecond (or if the clock steps back) the id continues from the last one
    with a random step, so ids still sort by creation and do not count rows.
    """
    global _last
    with _lock:
        candidate = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
        if candidate <= _last:
            candidate = _last + 1 + int.from_bytes(os.urandom(2), "big")
        _last = candidate
    return ULID.from_int(candidate)


def new_public_id(prefix: str) -> str:
    if not _PREFIX.match(prefix):
        raise ValueError(f"public id prefix {prefix!r} must be 2-8 lower-case letters or digits")
    return f"{prefix}_{str(_next_ulid()).lower()}"


def is_public_id(value: str, prefix: str | None = None) -> bool:
    match = _PUBLIC_ID.match(value or "")
    return bool(match) and (prefix is None or match.group(1) == prefix)


class PublicIdField(models.CharField):
    """A unique public id filled on insert (also by ``bulk_create``) when left empty."""

    def __init__(self, prefix: str, **kwargs: object) -> None:
        if not _PREFIX.match(prefix):
            raise ValueError(f"public id prefix {prefix!r} is not valid")
        self.prefix = prefix
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(**kwargs)

    def deconstruct(self):  # type: ignore[no-untyped-def]
        name, path, args, kwargs = super().deconstruct()
        kwargs["prefix"] = self.prefix
        for key, default in (("max_length", 40), ("unique", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        kwargs.pop("db_index", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.attname)
        if not value:
            value = new_public_id(self.prefix)
            setattr(model_instance, self.attname, value)
        return value
