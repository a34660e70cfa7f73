"""Reads of trade-in: the models we accept, a buyer's trade-ins, the operator's queue, a
timeline for the detail pages, and the monthly summary for dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from agora.circular.models import TradeIn, TradeInModel
from agora.core import clock
from agora.core.errors import invalid, not_found

Status = TradeIn.Status
# What the operator has to act on, in the order the queue shows them.
WAITING = (Status.SHIPPED, Status.ACCEPTED, Status.RECEIVED, Status.REFUSED)


def models_active() -> list[TradeInModel]:
    return list(TradeInModel.objects.filter(active=True))


def model_get(*, public_id: str) -> TradeInModel | None:
    """The active model with this id, or None (the service says why it is refused)."""
    return TradeInModel.objects.filter(public_id=public_id, active=True).first()


def tradeins_for_buyer(*, buyer: Any) -> QuerySet[TradeIn]:
    return TradeIn.objects.filter(buyer_id=getattr(buyer, "pk", None)).select_related("model")


def tradein_for_buyer(*, buyer: Any, public_id: str) -> TradeIn:
    """The buyer's own trade-in; anyone else's id is not found, like an unknown one."""
    tradein = tradeins_for_buyer(buyer=buyer).filter(public_id=public_id).first()
    if tradein is None:
        raise not_found("trade-in", public_id)
    return tradein


def tradein_get(*, public_id: str) -> TradeIn:
    tradein = TradeIn.objects.select_related("model", "buyer").filter(public_id=public_id).first()
    if tradein is None:
        raise not_found("trade-in", public_id)
    return tradein


def tradein_queue(*, status: str | None = None, limit: int = 200) -> list[TradeIn]:
    """The operator's queue: by default what waits for the centre (accepted/shipped parcels to
    receive, received items to inspect, refused or expired-with-us items to return)."""
    rows = TradeIn.objects.select_related("model", "buyer")
    if status:
        if status not in Status.values:
            raise invalid("status", f"{status!r} is not one of {', '.join(Status.values)}")
        rows = rows.filter(status=status)
    else:
        rows = rows.filter(status__in=WAITING) | rows.filter(
            status=Status.EXPIRED, received_at__isnull=False, returned_at__isnull=True
        )
    return list(rows.order_by("updated_at", "pk")[:limit])


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str


def timeline(tradein: TradeIn) -> list[Step]:
    """What happened to the trade-in, oldest first (for the detail pages)."""
    t = tradein
    steps = [
        (t.created_at, _("Quoted")),
        (t.accepted_at, _("Offer accepted")),
        (t.shipped_at, _("Shipped by you")),
        (t.received_at, _("Received at the trade-in centre")),
        (t.inspected_at, _("Inspected")),
        (t.revised_decided_at if t.status != Status.CREDITED else None, _("Revised offer refused")),
        (t.credited_at, _("Store credit issued")),
        (t.returned_at, _("Sent back to you")),
        (t.closed_at, _("Expired") if t.status == Status.EXPIRED else _("Cancelled")),
    ]
    return sorted((Step(at, label) for at, label in steps if at), key=lambda s: s.at)


def tradein_summary(*, months: int = 12) -> list[dict[str, Any]]:
    """Trade-ins credited and store credit issued per month and currency (newest first), for a
    dashboard: ``{"month": date, "currency", "credited": n, "credit_minor": sum}``."""
    rows = (
        TradeIn.objects.filter(
            status=Status.CREDITED, credited_at__gte=clock.now() - timedelta(days=31 * months)
        )
        .annotate(month=TruncMonth("credited_at"))
        .values("month", "currency")
        .annotate(credited=Count("id"), credit_minor=Sum("credited_minor"))
        .order_by("-month", "currency")
    )
    return [
        {
            "month": r["month"].date() if hasattr(r["month"], "date") else r["month"],
            "currency": r["currency"],
            "credited": r["credited"],
            "credit_minor": int(r["credit_minor"] or 0),
        }
        for r in rows
    ]


def models_all() -> list[TradeInModel]:
    """Every model, active or not, with how many trade-ins each has (the operator's list)."""
    return list(TradeInModel.objects.annotate(tradeins_count=Count("tradeins")))


def model_by_id(*, public_id: str) -> TradeInModel:
    model = TradeInModel.objects.filter(public_id=public_id).first()
    if model is None:
        raise not_found("trade-in model", public_id)
    return model
