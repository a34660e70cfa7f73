"""Trust's reads: whether a buyer bought a product, the product page's reviews, the queues,
what a user or seller is told, and the transparency report's figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, QuerySet, Window
from django.utils.translation import gettext as _

from agora.core import clock
from agora.marketplace.models import Seller
from agora.orders.models import Order, OrderLine
from agora.trust.models import Appeal, Decision, Notice, Review

BOUGHT = (Order.Status.DELIVERED, Order.Status.COMPLETED)


def has_bought(*, user: Any, product: Any) -> bool:
    """True when the user has a delivered or completed order line of one of the product's
    variants (a verified purchase)."""
    return OrderLine.objects.filter(
        order__buyer=user, order__status__in=BOUGHT, variant__product=product
    ).exists()


def redress_text() -> str:
    """The redress every statement of reasons names (DSA Art. 17(3)(f))."""
    return _(
        "You may appeal this decision free of charge within six months from your notices page "
        "(internal complaint-handling, DSA Art. 20); another operator will decide it. You may "
        "also turn to a certified out-of-court dispute settlement body (DSA Art. 21) or to a "
        "court."
    )


def product_reviews_summary(product_public_id: str, language: str) -> dict[str, Any] | None:
    """The ``storefront.product_reviews`` answer: visible reviews, newest first, with the
    average to one decimal, or None when there are none (another answer, or the page's "No
    reviews yet", stands). One query: count and average ride along as window functions. Text
    is returned as written; the page escapes it."""
    rows = list(
        Review.objects.filter(product__public_id=product_public_id, status=Review.Status.VISIBLE)
        .annotate(n=Window(Count("id")), avg=Window(Avg("rating")))
        .order_by("-created_at", "-id")
        .values(
            "public_id",
            "rating",
            "title",
            "body",
            "created_at",
            "author_id",
            "n",
            "avg",
        )[:50]
    )
    if not rows:
        return None
    average = Decimal(str(rows[0]["avg"])).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
    # Names are sealed in the authors' vault rows: open each author once.
    authors = (
        get_user_model()
        .objects.select_related("person")
        .in_bulk({r["author_id"] for r in rows if r["author_id"]})
    )
    return {
        "count": rows[0]["n"],
        "average": average,
        "reviews": [
            {
                "id": r["public_id"],
                "author": author_name(authors.get(r["author_id"])),
                "rating": r["rating"],
                "title": r["title"],
                "body": r["body"],
                "created_at": r["created_at"],
                "verified": True,
            }
            for r in rows
        ],
    }


def author_name(user: Any) -> str:
    """How a review's author is shown: never their e-mail address; an erased author is a
    "former buyer"."""
    if user is None or getattr(user, "is_erased", False):
        return str(_("Former buyer"))
    return _display_name(getattr(user, "display_name", ""), user.email)


def _display_name(name: str | None, email: str | None) -> str:
    """The name the buyer chose to show, else the e-mail's first letter: never the address."""
    if name and name.strip():
        return name.strip()
    local = (email or "?").split("@")[0]
    return _("Verified buyer %(initial)s.") % {"initial": local[:1].upper()}


def review_of(*, user: Any, product_public_id: str) -> Review | None:
    return Review.objects.filter(author=user, product__public_id=product_public_id).first()


def notice_get(*, public_id: str) -> Notice | None:
    return Notice.objects.select_related("seller", "decision").filter(public_id=public_id).first()


def decision_get(*, public_id: str) -> Decision | None:
    return (
        Decision.objects.select_related("affected_seller", "decided_by")
        .prefetch_related("appeals")
        .filter(public_id=public_id)
        .first()
    )


def appeal_get(*, public_id: str) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "decision", "decision__decided_by", "decision__affected_seller", "notice", "result"
        )
        .filter(public_id=public_id)
        .first()
    )


def open_notices() -> QuerySet[Notice]:
    """The moderation queue: open notices, oldest first."""
    return Notice.objects.filter(status=Notice.Status.OPEN).select_related("seller")


def open_appeals() -> QuerySet[Appeal]:
    return Appeal.objects.filter(outcome=Appeal.Outcome.OPEN).select_related(
        "decision", "decision__decided_by", "decision__affected_seller", "notice"
    )


def recent_decisions(limit: int = 50) -> list[Decision]:
    return list(
        Decision.objects.select_related("affected_seller", "decided_by").order_by(
            "-decided_at", "-id"
        )[:limit]
    )


def decisions_affecting_user(*, user: Any) -> list[Decision]:
    """Statements of reasons addressed to a buyer (about their reviews), newest first."""
    return list(
        Decision.objects.filter(affected_user=user)
        .prefetch_related("appeals")
        .order_by("-decided_at", "-id")
    )


def decisions_affecting_seller(*, seller: Seller) -> list[Decision]:
    """Statements of reasons addressed to a seller (their products, reviews of them are the
    author's, and the seller itself), newest first."""
    return list(
        Decision.objects.filter(affected_seller=seller, affected_user__isnull=True)
        .prefetch_related("appeals")
        .order_by("-decided_at", "-id")
    )


def notices_by_reporter(*, user: Any) -> list[Notice]:
    """What a signed-in notifier reported and the outcome of each."""
    return list(
        Notice.objects.filter(reporter=user).select_related("decision").order_by("-created_at")
    )


def notifier_appeals(*, user: Any, decision_ids: list[int]) -> dict[int, Appeal]:
    """The notifier's own appeals against these decisions, by decision id, with the decision a
    reversal made (one query)."""
    rows = Appeal.objects.filter(
        appellant=user, party=Appeal.Party.NOTIFIER, decision_id__in=decision_ids
    ).select_related("result")
    return {a.decision_id: a for a in rows}


def decision_made_on_appeal(*, decision: Decision) -> Decision | None:
    """The decision that replaced ``decision`` when a notifier's appeal against its "no action"
    was reversed (what every notifier of it is told), else None."""
    appeal = (
        Appeal.objects.filter(decision=decision, result__isnull=False)
        .select_related("result")
        .first()
    )
    return appeal.result if appeal is not None else None


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def default_period() -> Period:
    end = clock.now()
    return Period(end - timedelta(days=365), end)


def transparency(period: Period) -> dict[str, Any]:
    """The DSA Art. 15/24 figures for a period: notices by reason, decisions by action and by
    whether they were reversed on appeal, appeals by outcome, the median hours from the first
    notice to the decision, and how many decisions used automated means."""
    notices = Notice.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    decisions = Decision.objects.filter(decided_at__gte=period.start, decided_at__lt=period.end)
    appeals = Appeal.objects.filter(created_at__gte=period.start, created_at__lt=period.end)

    def counted(qs: QuerySet[Any], field: str, values: list[str]) -> dict[str, int]:
        found = dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
        return {v: int(found.get(v, 0)) for v in values}

    hours = list(decisions.values_list("hours_to_decide", flat=True))
    return {
        "period_start": period.start,
        "period_end": period.end,
        "notices_total": notices.count(),
        "notices_by_reason": counted(notices, "reason", list(Notice.Reason.values)),
        "decisions_total": decisions.count(),
        "decisions_by_action": counted(decisions, "action", list(Decision.Action.values)),
        "decisions_reversed": decisions.filter(reversed_at__isnull=False).count(),
        "decisions_automated": decisions.filter(automated=True).count(),
        "appeals_total": appeals.count(),
        "appeals_by_outcome": counted(appeals, "outcome", list(Appeal.Outcome.values)),
        "appeals_by_party": counted(appeals, "party", list(Appeal.Party.values)),
        "median_hours_to_decision": round(statistics.median(hours), 2) if hours else None,
    }
