"""A release of private statistics: the only way the counts leave the database.

One release = two OpenDP measurements over one table (orders per cell with sensitivity K, units
per cell with sensitivity U), each at half the release's ε; by sequential composition the
release loses at most their sum, which is what the ledger records. Per seller and month the sum
over the ledger may not pass the month's budget; a release that would is refused
(``privacy-budget-spent``) and spends nothing.

The same query (table and ε) about the same month is answered from the ledger with the noisy
figures stored the first time, spending nothing: asking again neither burns the budget nor lets
anyone average the noise away. A release about the running month is a snapshot as of its time.

Every fresh release is written twice in its transaction: to the budget ledger (the figures and
the ε, which the budget is summed from) and to the core audit log (who released it, for which
seller, which query, ε spent and left), so "who looked at what, spending how much" is answered
from the same log as every other change. An answer from the ledger spends nothing, reveals
nothing new and is not audited.

Small-cell suppression (hiding cells under, say, 5) is not used and would not be a substitute:
suppression gives no guarantee against differencing (two releases around one buyer's order) or
against what is known from elsewhere; only the calibrated noise and the budget do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, AgoraError, invalid
from agora.marketplace.models import Seller
from agora.orders.models import Order
from agora.privacy.dp import cells, mechanism, policy, selectors
from agora.privacy.dp.errors import PRIVACY_BUDGET_SPENT
from agora.privacy.models import DpBudget, DpLedgerEntry


@dataclass(frozen=True)
class Query:
    name: str
    cells: list[str]
    cell_of: Callable[[Order], str]


QUERIES = {
    "sales-by-region": Query("sales-by-region", cells.COUNTRIES, selectors.by_country),
    "sales-by-tenure": Query("sales-by-tenure", list(cells.TENURE_BANDS), selectors.by_tenure),
}


@dataclass
class Release:
    entry: DpLedgerEntry
    fresh: bool  # spent now (False: answered from the ledger)
    limit: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.limit - self.spent, Decimal(0))

    @property
    def result(self) -> dict[str, Any]:
        return self.entry.result


def eps_text(value: Decimal) -> str:
    """ε as people write it: 0.5, 1, 0.25 (no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def query_key(name: str, epsilon: Decimal) -> str:
    return f"{name}?epsilon={eps_text(epsilon)}"


def _epsilon(value: Decimal | str | float | None) -> Decimal:
    if value is None or value == "":
        return policy.release_epsilon()
    try:
        eps = Decimal(str(value))
    except ArithmeticError:
        raise invalid("epsilon", f"{value!r} is not a number") from None
    choices = policy.epsilon_choices()
    if eps not in choices:
        allowed = ", ".join(eps_text(c) for c in choices)
        raise invalid("epsilon", f"{value} is not offered; choose one of {allowed}")
    return eps


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The released table as rows; negative noisy counts shown as 0 (post-processing, which
    costs no privacy)."""
    return [
        {"cell": c, "orders": max(o, 0), "units": max(u, 0)}
        for c, o, u in zip(result["cells"], result["orders"], result["units"], strict=True)
    ]


def regions_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Countries summed into regions: post-processing of the noisy counts, no further ε."""
    totals: dict[str, list[int]] = {code: [0, 0] for code in cells.REGIONS}
    for c, o, u in zip(result["cells"], result["orders"], result["units"], strict=True):
        totals[cells.region_of(c)][0] += o
        totals[cells.region_of(c)][1] += u
    return [
        {"cell": code, "orders": max(o, 0), "units": max(u, 0)} for code, (o, u) in totals.items()
    ]


def release(
    *,
    actor: Actor,
    seller: Seller,
    query: str,
    month: str,
    epsilon: Decimal | str | float | None = None,
) -> Release:
    """The noisy ``query`` table of ``seller``'s sales in ``month``: from the ledger when this
    query at this ε was released before, else freshly drawn if the month's budget allows (and
    then audited as ``privacy.dp_released`` by ``actor``). ``actor`` must act for ``seller``
    with ``orders:read`` (or be the system or an operator)."""
    acting_for_other = actor.kind in ("user", "api_key") and not actor.is_operator
    if (acting_for_other and actor.seller_id != seller.pk) or not actor.can("orders:read"):
        raise AgoraError(
            FORBIDDEN, _("Only the seller's own staff or keys may release its figures.")
        )
    if query not in QUERIES:
        raise invalid("query", f"{query!r} is not a statistic; choose one of {', '.join(QUERIES)}")
    start, _end = selectors.month_bounds(month)
    now = clock.now()
    if start > now:
        raise invalid("month", f"{month} has not begun; nothing was sold in it yet")
    eps = _epsilon(epsilon)
    key = query_key(query, eps)
    with transaction.atomic():
        budget, _created = DpBudget.objects.get_or_create(
            seller=seller,
            period=month,
            defaults={"epsilon_limit": policy.monthly_epsilon(), "created_at": now},
        )
        budget = DpBudget.objects.select_for_update().get(pk=budget.pk)  # one release at a time
        spent = selectors.spent(seller=seller, month=month)
        entry = DpLedgerEntry.objects.filter(seller=seller, period=month, query=key).first()
        if entry is not None:
            return Release(entry, False, budget.epsilon_limit, spent)
        if spent + eps > budget.epsilon_limit:
            remaining = max(budget.epsilon_limit - spent, Decimal(0))
            raise AgoraError(
                PRIVACY_BUDGET_SPENT,
                _(
                    "This release needs ε %(need)s but only ε %(left)s is left of the budget of "
                    "ε %(limit)s for %(month)s (ε %(spent)s spent)."
                )
                % {
                    "need": eps_text(eps),
                    "left": eps_text(remaining),
                    "month": month,
                    "limit": eps_text(budget.epsilon_limit),
                    "spent": eps_text(spent),
                },
                extra={
                    "period": month,
                    "epsilon_requested": float(eps),
                    "epsilon_spent": float(spent),
                    "epsilon_remaining": float(remaining),
                    "epsilon_budget": float(budget.epsilon_limit),
                },
            )
        entry = DpLedgerEntry.objects.create(
            seller=seller,
            period=month,
            query=key,
            epsilon=eps,
            result=_draw(seller=seller, query=QUERIES[query], month=month, epsilon=eps),
            created_at=now,
        )
        done = Release(entry, True, budget.epsilon_limit, spent + eps)
        audit_record(
            actor=actor,
            action="privacy.dp_released",
            target=entry,
            changes={
                "seller": seller.public_id,
                "query": query,
                "period": month,
                "epsilon": eps_text(eps),
                "epsilon_spent": eps_text(done.spent),
                "epsilon_remaining": eps_text(done.remaining),
                "epsilon_budget": eps_text(done.limit),
            },
            seller_id=seller.pk,
        )
        return done


def _draw(*, seller: Seller, query: Query, month: str, epsilon: Decimal) -> dict[str, Any]:
    true = selectors.bounded_counts(
        seller=seller, month=month, cell_names=query.cells, cell_of=query.cell_of
    )
    half = float(epsilon) / 2
    k, u = policy.orders_per_buyer(), policy.units_per_buyer()
    orders = mechanism.noisy_counts(true.orders, sensitivity=k, epsilon=half)
    units = mechanism.noisy_counts(true.units, sensitivity=u, epsilon=half)
    return {
        "query": query.name,
        "cells": true.cells,
        "orders": orders.values,
        "units": units.values,
        "sensitivity": {"orders": k, "units": u},
        "epsilon": {"orders": half, "units": half},
        "scale": {"orders": orders.scale, "units": units.scale},
        "accuracy95": {
            "orders": mechanism.accuracy(orders.scale),
            "units": mechanism.accuracy(units.scale),
        },
        "mechanism": "OpenDP make_laplace on integer counts (discrete Laplace), L1 sensitivity",
    }
