"""Giving and withdrawing consent: one function, the same for the banner, the account page, the
sign-up form and the API, so withdrawing is exactly as easy as giving (GDPR Art. 7(3))."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from agora.core import clock
from agora.core.errors import AgoraError, invalid
from agora.core.events import publish
from agora.privacy.errors import CONSENT_TEXT_OUTDATED
from agora.privacy.events import ConsentChanged
from agora.privacy.models import ConsentRecord
from agora.privacy.purposes import ASKED, NECESSARY, PURPOSES
from agora.privacy.selectors import consent_state

METHODS = {m.value for m in ConsentRecord.Method}


def consent_set(
    *,
    subject: str,
    choices: Mapping[str, bool],
    versions: Mapping[str, int],
    method: str,
) -> list[ConsentRecord]:
    """Records the person's choice for each purpose in ``choices`` against the text ``versions``
    they were shown. A purpose whose decision does not change is not written again (the record
    keeps the first time it was given), except when it renews an older text's consent. Refuses
    an unknown purpose, refusing ``necessary``, and a version that is not the current text's."""
    if not subject or len(subject) > 64:
        raise invalid("subject", "no person to record consent for")
    if method not in METHODS:
        raise invalid("method", f"{method!r} is not one of {', '.join(sorted(METHODS))}")
    if not choices:
        raise invalid("choices", f"give a choice for at least one of {', '.join(ASKED)}")
    for purpose, granted in choices.items():
        if purpose == NECESSARY:
            if granted is not True:
                raise invalid(f"choices.{purpose}", "necessary processing cannot be refused")
            continue
        if purpose not in PURPOSES:
            raise invalid(f"choices.{purpose}", f"not a purpose ({', '.join(ASKED)})")
        if not isinstance(granted, bool):
            raise invalid(f"choices.{purpose}", "must be true or false")
        shown, current = versions.get(purpose), PURPOSES[purpose].version
        if shown != current:
            raise AgoraError(
                CONSENT_TEXT_OUTDATED,
                f"{purpose}: the choice was made on text version {shown}; the current text is "
                f"version {current}",
            )
    written = []
    with transaction.atomic():
        state = consent_state(subject)
        now = clock.now()
        for purpose, granted in choices.items():
            if purpose == NECESSARY:
                continue
            before = state[purpose]
            if before.text_version is not None and before.granted == granted and before.current:
                continue
            row = ConsentRecord.objects.create(
                subject=subject,
                purpose=purpose,
                granted=granted,
                text_version=PURPOSES[purpose].version,
                method=method,
                created_at=now,
            )
            written.append(row)
            publish(
                ConsentChanged(
                    subject=subject,
                    purpose=purpose,
                    granted=granted,
                    text_version=row.text_version,
                    method=method,
                )
            )
    return written


def consent_seed(*, subjects: list[str], purposes: list[str]) -> int:
    """The demo store's buyers agreed to ``purposes`` (method ``seed``), in bulk and without
    events: their history is generated, not theirs to withdraw. Subjects that already decided
    on a purpose keep their decision. Returns the rows written."""
    for purpose in purposes:
        if purpose not in ASKED:
            raise invalid("purposes", f"{purpose!r} is not one of {', '.join(ASKED)}")
    decided = set(
        ConsentRecord.objects.filter(subject__in=subjects, purpose__in=purposes).values_list(
            "subject", "purpose"
        )
    )
    now = clock.now()
    rows = [
        ConsentRecord(
            subject=subject,
            purpose=purpose,
            granted=True,
            text_version=PURPOSES[purpose].version,
            method=ConsentRecord.Method.SEED,
            created_at=now,
        )
        for subject in subjects
        for purpose in purposes
        if (subject, purpose) not in decided
    ]
    ConsentRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
