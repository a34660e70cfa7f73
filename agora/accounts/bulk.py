"""Bulk services of accounts, for historic loads (imports) only.

A sales history names thousands of customers; creating each through a per-row service would
audit every one. Here buyers are created in bulk inside the caller's transaction, with no audit
entry and no event of their own: the caller records one audit entry for its whole batch.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password

from agora.accounts.models import User
from agora.core.bulk import chunks, require_atomic
from agora.core.models import Person
from agora.core.vault.people import email_digest, person_build


@dataclass(frozen=True, slots=True)
class ImportedBuyer:
    """A customer as a historic source knows them."""

    email: str
    display_name: str
    first_seen: datetime  # becomes ``date_joined``


@dataclass(frozen=True, slots=True)
class BuyersImported:
    ids: dict[str, int]  # email → user id, for every buyer asked about that was not ``known``
    created: int


def buyers_import_bulk(
    *, buyers: Mapping[str, ImportedBuyer], known: Collection[str] = ()
) -> BuyersImported:
    """Finds or creates a user for each buyer (keyed by email) not in ``known`` (emails whose
    ids the caller already has), and returns their ids.

    New users get an unusable password: historic customers can claim their account later
    through a password reset, never with a guessable default. Runs inside the caller's
    transaction (refuses otherwise); the caller checks permissions and audits the batch.
    """
    require_atomic("buyers_import_bulk")
    missing = [email for email in buyers if email not in known]
    ids: dict[str, int] = {}
    digests = {email_digest(email): email for email in missing}
    for chunk in chunks(list(digests)):
        found = User.objects.filter(email_digest__in=chunk).values_list("email_digest", "id")
        ids.update((digests[digest], pk) for digest, pk in found)
    new = [email for email in missing if email not in ids]
    # Each buyer is a person in the vault with their own key; one unusable password hash is
    # enough for all (it is random and never matches).
    people = Person.objects.bulk_create(
        [person_build(email=email, name=buyers[email].display_name) for email in new]
    )
    unusable = make_password(None)
    to_create = [
        User(
            person=person,
            email_digest=person.email_digest,
            password=unusable,
            date_joined=buyers[email].first_seen,
        )
        for email, person in zip(new, people, strict=True)
    ]
    User.objects.bulk_create(to_create)
    ids.update((email, user.pk) for email, user in zip(new, to_create, strict=True))
    return BuyersImported(ids=ids, created=len(to_create))
