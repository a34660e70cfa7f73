"""Events privacy publishes."""

from __future__ import annotations

from dataclasses import dataclass

from agora.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ConsentChanged(DomainEvent):
    """A person gave or withdrew consent for one purpose (consumers drop or start using their
    data for it)."""

    name = "consent.changed"
    subject: str
    purpose: str
    granted: bool
    text_version: int
    method: str


@dataclass(frozen=True, kw_only=True)
class ErasureCompleted(DomainEvent):
    """A person's account was erased: their keys destroyed, derived data removed. Apps and
    webhook subscribers holding copies of their data erase them too."""

    name = "erasure.completed"
    user_id: str
    persons: list[str]
