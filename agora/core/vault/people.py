"""People in the vault: create one, read and change their profile, seal and open records of
theirs (addresses, an order's delivery address), and shred them.

Every reader of personal data goes through :func:`person_profile` or :func:`person_unseal`,
which answer "erased" instead of failing once the person's key is destroyed, so pages and
exports of an erased buyer keep working and show nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from agora.core import clock
from agora.core.ids import new_public_id
from agora.core.models import Person
from agora.core.vault import crypto
from agora.core.vault.keys import email_search_key, platform_key

PROFILE = "profile"


@dataclass(frozen=True, slots=True)
class Profile:
    email: str = ""
    name: str = ""
    phone: str = ""
    erased: bool = False


def email_digest(email: str) -> str:
    """The searchable stand-in for an email (empty for an empty email)."""
    return crypto.email_digest(email_search_key(), email) if (email or "").strip() else ""


def _data_key(person: Person) -> bytes | None:
    if person.wrapped_key is None:
        return None
    return crypto.unwrap_key(platform_key(), person.wrapped_key, person=person.public_id)


def person_create(*, email: str = "", name: str = "", phone: str = "") -> Person:
    """A new person with a fresh key; the profile sealed under it."""
    person = person_build(email=email, name=name, phone=phone)
    person.save()
    return person


def person_build(
    *, email: str = "", name: str = "", phone: str = "", model: type[Person] = Person
) -> Person:
    """An unsaved person, for bulk loads that insert many at once; ``model`` is the historical
    ``Person`` when a data migration builds one."""
    person = model(public_id=new_public_id("per"), created_at=clock.now())
    dek = crypto.new_data_key()
    person.wrapped_key = crypto.wrap_key(platform_key(), dek, person=person.public_id)
    record = {"email": crypto.normalise_email(email), "name": name.strip(), "phone": phone.strip()}
    person.profile = crypto.seal(dek, record, person=person.public_id, purpose=PROFILE)
    person.email_digest = email_digest(email)
    return person


def person_profile(person: Person) -> Profile:
    dek = _data_key(person)
    if dek is None or person.profile is None:
        return Profile(erased=True)
    data = crypto.unseal(dek, person.profile, person=person.public_id, purpose=PROFILE)
    return Profile(
        email=data.get("email", ""), name=data.get("name", ""), phone=data.get("phone", "")
    )


def person_update(person: Person, **changes: str) -> Person:
    """Changes ``email``, ``name`` or ``phone``; refuses an erased person (ValueError)."""
    unknown = set(changes) - {"email", "name", "phone"}
    if unknown:
        raise ValueError(f"not a profile field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        dek = _data_key(person)
        if dek is None:
            raise ValueError(f"person {person.public_id} is erased")
        current = person_profile(person)
        record = {"email": current.email, "name": current.name, "phone": current.phone}
        record.update({k: v.strip() for k, v in changes.items()})
        record["email"] = crypto.normalise_email(record["email"])
        person.profile = crypto.seal(dek, record, person=person.public_id, purpose=PROFILE)
        person.email_digest = email_digest(record["email"])
        person.save(update_fields=["profile", "email_digest"])
    return person


def person_seal(person: Person, record: dict[str, Any], *, purpose: str) -> bytes:
    """``record`` sealed under the person's key for ``purpose``; refuses an erased person."""
    dek = _data_key(person)
    if dek is None:
        raise ValueError(f"person {person.public_id} is erased")
    return crypto.seal(dek, record, person=person.public_id, purpose=purpose)


def person_unseal(person: Person, blob: bytes | None, *, purpose: str) -> dict[str, Any] | None:
    """The record, or None when the person is erased or there is none."""
    dek = _data_key(person)
    if dek is None or blob is None:
        return None
    return crypto.unseal(dek, blob, person=person.public_id, purpose=purpose)


def person_shred(person: Person) -> Person:
    """Destroys the person's key and profile: every record sealed for them becomes unreadable,
    in this database and in every backup of it. Shredding again changes nothing."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.shredded_at is None:
            person.wrapped_key, person.profile, person.email_digest = None, None, ""
            person.shredded_at = clock.now()
            person.save(update_fields=["wrapped_key", "profile", "email_digest", "shredded_at"])
    return person
