"""Schemas shared by every app's API: money, pages, and strict input models."""

from __future__ import annotations

from typing import Any, TypeVar

from ninja import Schema
from pydantic import BaseModel, ConfigDict, field_validator

from agora.core.money import Money

T = TypeVar("T")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


class NoNulInput(Schema):
    """Refuses NUL characters in any text, however deep: PostgreSQL cannot store them, so they
    would otherwise surface as a server error instead of a validation error naming the field."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("must not contain NUL (\\u0000) characters")
        return value


class StrictInput(NoNulInput):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class MoneyOut(BaseModel):
    currency: str
    amount_minor: int
    amount: str  # decimal string in major units, e.g. "12.99"; never a float

    @staticmethod
    def of(amount_minor: int, currency: str) -> MoneyOut:
        return MoneyOut(**Money(amount_minor, currency).as_dict())
