"""API key scopes: ``<family>:read`` or ``<family>:write`` (write implies read)."""

from __future__ import annotations

FAMILIES = ("catalog", "pricing", "inventory", "orders", "webhooks", "sellers")
LEVELS = ("read", "write")
ALL_SCOPES = tuple(f"{f}:{lvl}" for f in FAMILIES for lvl in LEVELS)


def invalid_scopes(scopes: list[str]) -> list[str]:
    return [s for s in scopes if s not in ALL_SCOPES]
