"""The one question every consumer of personal data asks before using it for a purpose
(recommendations, analytics, e-mails): :func:`allowed`.

The answer comes from the privacy app through the ``privacy.consent`` extension point; with
nothing registered only ``necessary`` is allowed, so a missing or broken privacy app fails
closed. Subjects are named as checkout and recommendations name buyers: ``user:<pk>`` for an
account, ``guest:<hash>`` for a guest's session.
"""

from __future__ import annotations

from agora.core.extension_points import consent

NECESSARY = "necessary"
ANALYTICS = "analytics"
PERSONALISATION = "personalisation"
MARKETING = "marketing"


def subject_of_user(user_id: int | None) -> str:
    return f"user:{user_id}" if user_id else ""


def allowed(subject: str, purpose: str) -> bool:
    if purpose == NECESSARY:
        return True
    if not subject:
        return False
    answers = [check(subject, purpose) for check in consent.implementations()]
    return bool(answers) and all(answers)
