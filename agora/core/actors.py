"""Who is acting: passed into every service so it can check permissions and write the audit log.

Core cannot import accounts (it sits below it), so an actor carries ids and a label, not rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["user", "api_key", "system", "guest"]


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    label: str
    user_id: int | None = None
    api_key_id: int | None = None
    # The seller this actor acts for (an API key's seller, or the seller a staff member picked).
    seller_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    is_operator: bool = False
    # Who a guest is: the reference their orders carry (``guest:<hash of the session's token>``),
    # so a guest can act on their own orders, and on nothing else, without an account.
    buyer_ref: str = ""

    def can(self, scope: str) -> bool:
        """True when the actor holds ``scope`` (``catalog:write`` implies ``catalog:read``)."""
        if self.kind == "system" or self.is_operator:
            return True
        if self.kind == "guest":
            return False  # a guest holds no scopes: services check order ownership instead
        if self.kind == "user":
            return True  # a signed-in user's rights are decided by role checks in services
        family, _, level = scope.partition(":")
        return scope in self.scopes or (level == "read" and f"{family}:write" in self.scopes)


SYSTEM = Actor(kind="system", label="system")


def system(label: str) -> Actor:
    """An actor for jobs and commands (importer, demo, scheduler), named in the audit log."""
    return Actor(kind="system", label=label)


def guest(buyer_ref: str) -> Actor:
    """A buyer without an account, known by the reference their checkout gave their orders."""
    if not buyer_ref.startswith("guest:"):
        raise ValueError(f"a guest reference starts with 'guest:', not {buyer_ref[:12]!r}")
    return Actor(kind="guest", label="guest", buyer_ref=buyer_ref)
