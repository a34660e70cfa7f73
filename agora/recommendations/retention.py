"""How long recommendations keep what a buyer looked at (registered in ``apps.py`` through the
``privacy.retention_rules`` extension point; see :mod:`agora.core.retention`).

Purchases and returns are not here: they are rebuilt from the orders (``agora recs rebuild``)
and go when consent to personalisation is withdrawn; "not interested" and ratings are the
buyer's own instructions and stay until they change them.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agora.core.retention import Action, RetentionRule


def _page_signals() -> QuerySet:
    from agora.recommendations.models import Signal

    return Signal.objects.filter(kind__in=(Signal.Kind.VIEW, Signal.Kind.CART_ADD))


def _day(moment: datetime) -> date:
    return moment.date()


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="recommendations.page_signals",
            model="recommendations.Signal",
            age_field="day",
            days=180,
            action=Action.DELETE,
            title=_("Products you viewed or put in a cart (kept only with your consent)"),
            counted_from=_("from the day of the visit"),
            reason=_("Interest fades: recommendations learn from the last six months."),
            rows=_page_signals,
            age_value=_day,
        ),
    ]
