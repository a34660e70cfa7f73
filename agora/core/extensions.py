"""Extension points: how commerce asks a capability without importing it.

A point is declared in core (see :mod:`agora.core.extension_points`); capability apps register an
implementation in ``AppConfig.ready()``; commerce calls ``point.implementations()`` and copes with
there being none. This keeps imports pointing down the layers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Callable[..., object])


class ExtensionPoint(Generic[T]):
    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._implementations: dict[str, T] = {}

    def register(self, implementation: T, *, key: str | None = None) -> T:
        """Adds an implementation; registering the same key again replaces it (module reloads)."""
        key = key or f"{implementation.__module__}.{getattr(implementation, '__qualname__', '')}"
        self._implementations[key] = implementation
        return implementation

    def unregister(self, key: str) -> None:
        self._implementations.pop(key, None)

    def implementations(self) -> list[T]:
        return list(self._implementations.values())

    def keys(self) -> list[str]:
        return list(self._implementations)

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self._implementations)} registered>"


_POINTS: dict[str, ExtensionPoint] = {}


def extension_point(name: str, doc: str) -> ExtensionPoint:
    """Declares a named point once; the registry lets `agora check` list what is plugged in."""
    point = _POINTS.get(name)
    if point is None:
        point = _POINTS[name] = ExtensionPoint(name, doc)
    return point


def all_points() -> dict[str, ExtensionPoint]:
    return dict(_POINTS)
