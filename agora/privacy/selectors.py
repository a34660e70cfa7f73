"""Reads of consent: where a person stands on each purpose, and the answer to the one question
(:func:`consent_allows`, registered as the ``privacy.consent`` extension point)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agora.privacy.models import ConsentRecord
from agora.privacy.purposes import ASKED, NECESSARY, PURPOSES


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    granted: bool
    text_version: int | None  # None: never asked
    current: bool  # given to the current text (an older consent does not count)
    at: datetime | None
    method: str

    @property
    def counts(self) -> bool:
        return self.granted and self.current


def consent_state(subject: str) -> dict[str, ConsentState]:
    """The latest decision per asked purpose (never asked: not granted), in one query."""
    latest: dict[str, ConsentRecord] = {}
    if subject:
        for row in ConsentRecord.objects.filter(subject=subject).order_by("id"):
            latest[row.purpose] = row
    out = {}
    for code in ASKED:
        row = latest.get(code)
        version = PURPOSES[code].version
        out[code] = ConsentState(
            purpose=code,
            granted=bool(row and row.granted),
            text_version=row.text_version if row else None,
            current=bool(row and row.text_version == version),
            at=row.created_at if row else None,
            method=row.method if row else "",
        )
    return out


def decided(subject: str) -> bool:
    """Whether the person answered the current texts (the banner is shown until then)."""
    return bool(subject) and all(s.current for s in consent_state(subject).values())


def consent_allows(subject: str, purpose: str) -> bool:
    if purpose == NECESSARY:
        return True
    if purpose not in PURPOSES or not subject:
        return False
    row = (
        ConsentRecord.objects.filter(subject=subject, purpose=purpose)
        .order_by("-id")
        .values_list("granted", "text_version")
        .first()
    )
    return bool(row) and row[0] and row[1] == PURPOSES[purpose].version


def consent_history(subject: str) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(subject=subject).order_by("-id"))
