"""Erasing a person's account: every app removes or pseudonymises what it derived from them
(the ``privacy.erase`` extension point), then their vault keys are destroyed (crypto-shredding:
every sealed copy of their data, backups included, becomes noise), the erasure is recorded
and ``erasure.completed`` is published. All in one transaction: nothing is half-erased.

Kept by law, with the personal fields destroyed: orders (invoices: amounts, lines, country),
ledger entries, consent records (proof of what was agreed, naming only ``user:<pk>``)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from agora.checkout.models import Checkout
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_pseudonymise, audit_record
from agora.core.errors import AgoraError
from agora.core.events import publish
from agora.core.extension_points import personal_data_erase
from agora.core.models import Person
from agora.core.vault.people import person_shred
from agora.orders.models import Order
from agora.privacy.errors import ERASURE_DONE
from agora.privacy.events import ErasureCompleted
from agora.privacy.models import Erasure

log = logging.getLogger(__name__)


def _persons(user_id: int) -> list[Person]:
    """The account's person and the guests' persons of checkouts and orders it claimed."""
    return list(
        Person.objects.filter(
            Q(user__pk=user_id)
            | Q(pk__in=Order.objects.filter(buyer_id=user_id).values("person_id"))
            | Q(pk__in=Checkout.objects.filter(buyer_id=user_id).values("person_id"))
        ).distinct()
    )


def erasure_run(*, actor: Actor, user_id: int) -> Erasure:
    """Erases the account ``user_id``; a second request is refused (409 erasure-already-done)."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise AgoraError(ERASURE_DONE, f"there is no account {user_id} to erase")
        if Erasure.objects.filter(user_public_id=user.public_id).exists():
            raise AgoraError(ERASURE_DONE, f"account {user.public_id} is already erased")
        counts = {}
        for erase in personal_data_erase.implementations():
            counts[erase.__module__.split(".")[1]] = erase(user_id)
        counts["core"] = {
            "audit entries pseudonymised": audit_pseudonymise(user_id=user_id, label=user.public_id)
        }
        persons = _persons(user_id)
        for person in persons:
            person_shred(person)
        erasure = Erasure.objects.create(
            user_public_id=user.public_id,
            persons=[p.public_id for p in persons],
            counts=counts,
            completed_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="privacy.erased",
            target=user,
            changes={"persons": len(persons)},
        )
        publish(ErasureCompleted(user_id=user.public_id, persons=erasure.persons))
    log.info("erased account %s: %s persons shredded, %s", user.public_id, len(persons), counts)
    return erasure
