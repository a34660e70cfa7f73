"""Events the catalogue publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ProductPublished(DomainEvent):
    name = "product.published"
    product_id: str
    seller_id: str


@dataclass(frozen=True, kw_only=True)
class ProductUnpublished(DomainEvent):
    name = "product.unpublished"
    product_id: str
    seller_id: str


@dataclass(frozen=True, kw_only=True)
class ProductUpdated(DomainEvent):
    name = "product.updated"
    product_id: str
    seller_id: str
    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ProductDeleted(DomainEvent):
    name = "product.deleted"
    product_id: str
    seller_id: str
