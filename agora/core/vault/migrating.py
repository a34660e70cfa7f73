"""Moving plaintext rows into the vault inside data migrations, where only historical models
exist: the same key handling as :mod:`.people`, against whichever ``Person`` model the migration
state gives."""

from __future__ import annotations

from typing import Any

from agora.core import clock
from agora.core.ids import new_public_id
from agora.core.vault import crypto
from agora.core.vault.keys import email_search_key, platform_key

PROFILE = "profile"


def person_insert(person_model: Any, *, email: str = "", name: str = "") -> Any:
    """Saves a person of ``person_model`` with a fresh key and the profile sealed under it."""
    public_id = new_public_id("per")
    dek = crypto.new_data_key()
    record = {"email": crypto.normalise_email(email), "name": name.strip(), "phone": ""}
    return person_model.objects.create(
        public_id=public_id,
        wrapped_key=crypto.wrap_key(platform_key(), dek, person=public_id),
        profile=crypto.seal(dek, record, person=public_id, purpose=PROFILE),
        email_digest=crypto.email_digest(email_search_key(), email) if email.strip() else "",
        created_at=clock.now(),
    )


def seal_for(person: Any, record: dict[str, Any], *, purpose: str) -> bytes:
    """``record`` sealed under a (historical) person's key."""
    dek = crypto.unwrap_key(platform_key(), bytes(person.wrapped_key), person=person.public_id)
    return crypto.seal(dek, record, person=person.public_id, purpose=purpose)
