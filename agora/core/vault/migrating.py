"""Moving plaintext rows into the vault inside data migrations, where only historical models
exist: :mod:`.people`'s own functions, given the ``Person`` model of the migration state."""

from __future__ import annotations

from typing import Any

from agora.core.vault.people import person_build, person_seal


def person_insert(person_model: Any, *, email: str = "", name: str = "") -> Any:
    """Saves a person of ``person_model`` with a fresh key and the profile sealed under it."""
    person = person_build(email=email, name=name, model=person_model)
    person.save()
    return person


def seal_for(person: Any, record: dict[str, Any], *, purpose: str) -> bytes:
    """``record`` sealed under a (historical) person's key."""
    return person_seal(person, record, purpose=purpose)
