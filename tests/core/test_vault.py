"""The personal-data vault: sealed at rest, opened only for the right person and purpose, found
by a keyed email digest, and unreadable everywhere once the person's key is shredded."""

from __future__ import annotations

import pytest
from django.db import connection

from agora.core.models import Person
from agora.core.vault import crypto
from agora.core.vault.people import (
    email_digest,
    person_create,
    person_profile,
    person_seal,
    person_shred,
    person_unseal,
    person_update,
)

pytestmark = pytest.mark.django_db
EMAIL, NAME, PHONE = "Ada.Lovelace@Example.org", "Ada Lovelace", "+44 20 7946 0018"


def raw_row(person: Person) -> bytes:
    """The row as the database stores it, every column as bytes, for scanning."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Person._meta.db_table} WHERE id = %s", [person.pk])
        row = cursor.fetchone()
    return b"|".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in row
    )


def test_the_profile_is_sealed_at_rest_and_opens_for_its_person() -> None:
    person = person_create(email=EMAIL, name=NAME, phone=PHONE)
    stored = raw_row(person)
    for secret in (b"Ada", b"lovelace", b"7946", b"example.org"):
        assert secret.lower() not in stored.lower()
    profile = person_profile(Person.objects.get(pk=person.pk))
    assert (profile.email, profile.name, profile.phone) == (EMAIL.lower(), NAME, PHONE)
    assert Person.objects.get(email_digest=email_digest("  ada.lovelace@example.ORG ")) == person


def test_a_record_opens_only_for_its_person_and_purpose() -> None:
    ada, bob = person_create(email="a@example.org"), person_create(email="b@example.org")
    blob = person_seal(ada, {"line1": "12 Byron Street"}, purpose="address")
    assert person_unseal(ada, blob, purpose="address") == {"line1": "12 Byron Street"}
    with pytest.raises(crypto.VaultError):
        person_unseal(ada, blob, purpose="ship_to")
    with pytest.raises(crypto.VaultError):
        person_unseal(bob, blob, purpose="address")
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(crypto.VaultError):
        person_unseal(ada, bytes(tampered), purpose="address")
    # a wrapped key copied onto another person's row does not open either
    bob.wrapped_key = ada.wrapped_key
    with pytest.raises(crypto.VaultError):
        person_profile(bob)


def test_an_update_reseals_and_moves_the_digest() -> None:
    person = person_create(email=EMAIL, name=NAME)
    person_update(person, email="new@example.org", phone="123")
    profile = person_profile(Person.objects.get(pk=person.pk))
    assert (profile.email, profile.name, profile.phone) == ("new@example.org", NAME, "123")
    assert not Person.objects.filter(email_digest=email_digest(EMAIL)).exists()
    with pytest.raises(ValueError, match="not a profile field"):
        person_update(person, address="x")


def test_shredding_makes_every_sealed_record_unreadable_for_good() -> None:
    person = person_create(email=EMAIL, name=NAME, phone=PHONE)
    blob = person_seal(person, {"name": NAME}, purpose="ship_to")
    person_shred(person)
    person_shred(person)  # again: nothing changes, no error
    person = Person.objects.get(pk=person.pk)
    assert person.wrapped_key is None and person.shredded_at is not None
    assert person_profile(person).erased and person_profile(person).email == ""
    assert person_unseal(person, blob, purpose="ship_to") is None
    assert not Person.objects.filter(email_digest=email_digest(EMAIL)).exists()
    with pytest.raises(ValueError, match="erased"):
        person_seal(person, {"x": 1}, purpose="address")
    with pytest.raises(ValueError, match="erased"):
        person_update(person, name="back")


def test_digests_are_keyed() -> None:
    one, other = b"\x01" * 32, b"\x02" * 32
    assert crypto.email_digest(one, "A@x.org") == crypto.email_digest(one, "a@x.org ")
    assert crypto.email_digest(one, "a@x.org") != crypto.email_digest(other, "a@x.org")
