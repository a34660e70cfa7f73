"""How the retention table reads on the privacy page, in the request's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.privacy.retention.rules import Row, table

YEAR = 365
LEAP_DAYS = 3  # a period of whole years may add the leap days it spans


@dataclass(frozen=True)
class Line:
    kind: str
    title: Any
    period: str  # "30 days, from the last change", or "No time limit"
    then: str
    reason: Any


def period_label(days: int) -> str:
    """Whole years read as years (4018 days: "11 years"), anything else in days."""
    years, rest = divmod(days, YEAR)
    if years and rest <= LEAP_DAYS:
        return ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def _then(row: Row) -> str:
    if row.action == "delete":
        return _("deleted")
    if row.action == "pseudonymise":
        return _("pseudonymised: what identifies you is removed, the rest stays")
    return _("kept")


def _period(row: Row) -> str:
    if row.days is None:
        return _("No time limit")
    return _("%(period)s, %(from)s") % {"period": period_label(row.days), "from": row.counted_from}


def lines() -> list[Line]:
    """The table with the periods in force, ready for the template."""
    return [Line(r.kind, r.title, _period(r), _then(r), r.reason) for r in table()]
