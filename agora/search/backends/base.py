"""What a full-text backend does; everything else (filters, facets, sorting, typo correction)
is shared SQL and Python in :mod:`agora.search.query`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from agora.search.text import Token

# A piece of SQL and its parameters, in order.
Fragment = tuple[str, list[Any]]


@dataclass(frozen=True)
class MatchPlan:
    """The tokens a backend must match: ``long`` ones (three characters or more) go to the
    full-text index; short ones are matched by the shared substring path."""

    tokens: list[Token]
    phrase: str
    relaxed: bool = False  # any token instead of every token (the second try)

    @property
    def long(self) -> list[Token]:
        return [t for t in self.tokens if not t.short]


class Backend(ABC):
    """Keeps the vendor's full-text structure in step with ``search_document`` and matches
    query tokens against it."""

    vendor = ""

    def write(self, documents: list[dict[str, Any]]) -> None:
        """Called after the documents' rows were written, in the same transaction."""
        return None  # a hook: nothing to do when the index lives in search_document

    def remove(self, product_ids: list[int]) -> None:
        """Called after the documents' rows were deleted, in the same transaction."""
        return None  # a hook: nothing to do when the index lives in search_document

    def clear(self) -> None:
        """Everything goes (before a rebuild)."""
        return None  # a hook: nothing to do when the index lives in search_document

    def optimise(self) -> None:
        """After a rebuild: merge index segments, refresh planner statistics."""
        return None  # a hook: nothing to do when the index lives in search_document

    @abstractmethod
    def match(self, plan: MatchPlan) -> Fragment | None:
        """SQL selecting ``(product_id, relevance)`` of the documents holding the plan's long
        tokens, or None when it has none. Each vendor has its own index, so no default."""

    def fuzzy(self, plan: MatchPlan) -> Fragment | None:
        """A last try for a query nothing matched: documents whose title is merely similar.
        None when the backend has no such index."""
        return None
