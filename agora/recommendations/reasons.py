"""Every recommendation's reason, in the visitor's language, built only from the evidence the
model attached (the facts that put the item there), so a reason says nothing the data does not.

``tests/recommendations/test_reasons.py`` checks each sentence against the orders it cites.
Numbers and dates are formatted with Babel for the active language; product names come from the
catalogue's translations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from babel.dates import format_date
from django.utils.translation import gettext, ngettext

from agora.catalog.models import Product
from agora.core import clock
from agora.core.templatetags.agora_format import babel_locale, local_date, translated


def as_date(value: Any) -> date | None:
    """Evidence days may arrive as dates, ISO strings or proleptic ordinals."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    if isinstance(value, int) and value > 0:
        return date.fromordinal(value)
    return None


def time_ago(day: date, today: date) -> str:
    """ "3 days" / "5 weeks" / "4 months" / "2 years": the largest unit that reads naturally."""
    days = max((today - day).days, 0)
    if days < 14:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if days < 61:
        weeks = days // 7
        return ngettext("%(n)s week", "%(n)s weeks", weeks) % {"n": weeks}
    if days < 730:
        months = days // 30
        return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    years = days // 365
    return ngettext("%(n)s year", "%(n)s years", years) % {"n": years}


def anchor_titles(evidences: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The names (in the active language) of every product the evidences cite, one query."""
    wanted = {str(e["anchor"]) for e in evidences if e.get("anchor")}
    if not wanted:
        return {}
    rows = Product.objects.filter(public_id__in=wanted).values("public_id", "title", "translations")
    return {row["public_id"]: translated(row, "title") for row in rows}


def _repeat(ev: Mapping[str, Any], today: date) -> str:
    times = int(ev.get("times", 0))
    last = as_date(ev.get("last_day"))
    if last is None:
        return ngettext("You bought this once", "You bought this %(n)s times", times) % {"n": times}
    if times <= 1:
        text = gettext("You bought this on %(date)s") % {"date": local_date(last)}
    else:
        text = ngettext(
            "You bought this %(n)s time, last %(ago)s ago",
            "You bought this %(n)s times, last %(ago)s ago",
            times,
        ) % {"n": times, "ago": time_ago(last, today)}
    due = ev.get("due_in_days")
    if due is not None and times > 1 and int(due) <= 7:
        text += gettext("; usually bought again about now")
    return text


def _co_purchase(ev: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    anchor = titles.get(str(ev.get("anchor", "")), "")
    together = int(ev.get("together", 0))
    day = as_date(ev.get("anchor_day"))
    if not anchor:
        return gettext("Often bought together with items like this")
    if day is not None:
        return gettext("Often bought with %(anchor)s, which you bought on %(date)s") % {
            "anchor": anchor,
            "date": local_date(day),
        }
    return ngettext(
        "Bought with %(anchor)s in %(n)s order",
        "Bought with %(anchor)s in %(n)s orders",
        together,
    ) % {"anchor": anchor, "n": together}


def _popular(ev: Mapping[str, Any]) -> str:
    buyers = int(ev.get("buyers", 0))
    days = int(ev.get("window_days", 0))
    values = {"n": buyers, "days": days}
    if ev.get("country"):
        if days == 7:
            return (
                ngettext(
                    "Popular in your country this week: %(n)s buyer",
                    "Popular in your country this week: %(n)s buyers",
                    buyers,
                )
                % values
            )
        return (
            ngettext(
                "Popular in your country: %(n)s buyer in the last %(days)s days",
                "Popular in your country: %(n)s buyers in the last %(days)s days",
                buyers,
            )
            % values
        )
    if days == 7:
        return (
            ngettext("Popular this week: %(n)s buyer", "Popular this week: %(n)s buyers", buyers)
            % values
        )
    return (
        ngettext(
            "Popular: %(n)s buyer in the last %(days)s days",
            "Popular: %(n)s buyers in the last %(days)s days",
            buyers,
        )
        % values
    )


def _content(ev: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    anchor = titles.get(str(ev.get("anchor", "")), "")
    terms = ", ".join(str(t) for t in list(ev.get("shared_terms", []))[:3])
    bought = as_date(ev.get("anchor_day")) is not None  # the buyer's own item, not the page's
    if not anchor:
        return gettext("Similar to things you bought")
    values = {"anchor": anchor, "terms": terms}
    if bought:
        if terms:
            return gettext("Similar to %(anchor)s, which you bought (%(terms)s)") % values
        return gettext("Similar to %(anchor)s, which you bought") % values
    if terms:
        return gettext("Similar to %(anchor)s (%(terms)s)") % values
    return gettext("Similar to %(anchor)s") % values


def _seasonal(ev: Mapping[str, Any]) -> str:
    month = int(ev.get("month", 0))
    buyers = int(ev.get("buyers_same_period_last_year", 0))
    if not 1 <= month <= 12:
        return gettext("Bought around this time last year")
    name = format_date(date(2000, month, 1), "LLLL", locale=babel_locale())
    return ngettext(
        "Bought by %(n)s buyer in %(month)s last year",
        "Bought by %(n)s buyers in %(month)s last year",
        buyers,
    ) % {"n": buyers, "month": name}


def _cf(ev: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    anchor = titles.get(str(ev.get("anchor", "")), "")
    others = int(ev.get("similar_users", 0))
    if anchor and others:
        return ngettext(
            "%(n)s other buyer of %(anchor)s, which you bought, also bought this",
            "%(n)s other buyers of %(anchor)s, which you bought, also bought this",
            others,
        ) % {"n": others, "anchor": anchor}
    return gettext("Buyers who bought what you bought also bought this")


def render(
    source: str,
    evidence: Mapping[str, Any],
    *,
    titles: Mapping[str, str],
    today: date | None = None,
) -> str:
    """The sentence for one recommendation in the active language."""
    today = today or clock.now().date()
    if source == "repeat":
        return _repeat(evidence, today)
    if source == "co_purchase":
        return _co_purchase(evidence, titles)
    if source == "popular":
        return _popular(evidence)
    if source == "content":
        return _content(evidence, titles)
    if source == "seasonal":
        return _seasonal(evidence)
    if source == "cf":
        return _cf(evidence, titles)
    raise ValueError(f"no reason is written for the source {source!r}")


def render_all(served: Iterable[Any]) -> list[str]:
    """Reasons for a list of served recommendations (one query for every cited product)."""
    items = list(served)
    titles = anchor_titles(s.evidence for s in items)
    today = clock.now().date()
    return [render(s.source, s.evidence, titles=titles, today=today) for s in items]
