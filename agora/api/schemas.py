"""Schemas shared by every app's API: money, pages, and strict input models."""

from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import ConfigDict

from agora.core.money import Money

T = TypeVar("T")


class StrictInput(Schema):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class MoneyOut(Schema):
    currency: str
    amount_minor: int
    amount: str  # decimal string in major units, e.g. "12.99"; never a float

    @staticmethod
    def of(amount_minor: int, currency: str) -> MoneyOut:
        money = Money(amount_minor, currency)
        return MoneyOut(currency=money.currency, amount_minor=money.amount_minor, amount=str(money.amount))


class PageOut(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None
