"""How long orders are kept (registered in ``apps.py`` through the ``privacy.retention_rules``
extension point; see :mod:`agora.core.retention`).

Orders are records of the books, which German law keeps for 10 years from the end of the
calendar year (§147(1), (3), (4) AO; §257 HGB), and the basis of invoices (vouchers: 8 years
since 2025, BEG IV). The platform's default is the longer one, counted from the order's own
date: at most 11 years. After it the order stays, for the ledger and the sales figures, but
without what ties it to the buyer: the account link, the buyer reference and the delivery
address (the country stays in ``ship_country``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agora.core.retention import Action, RetentionRule

BOOKKEEPING_DAYS = 11 * 365 + 3  # 10 years from the end of the year, leap days included


# What ties an order to a person, and the value that cuts the tie: the account, checkout's name
# for the buyer, the vault person and the address sealed under their key.
PERSONAL_FIELDS: dict[str, object] = {
    "buyer": None,
    "buyer_ref": "",
    "person": None,
    "ship_to_sealed": None,
}


def _not_yet_pseudonymised() -> QuerySet:
    """Orders that still hold something of their buyer (so a second run finds none)."""
    from agora.orders.models import Order

    done = Q()
    for name, value in PERSONAL_FIELDS.items():
        done &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return Order.objects.exclude(done)


def _pseudonymise(rows: QuerySet) -> int:
    return rows.update(**PERSONAL_FIELDS)


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="orders.orders",
            model="orders.Order",
            age_field="placed_at",
            days=BOOKKEEPING_DAYS,
            action=Action.PSEUDONYMISE,
            title=_("Orders and the invoices made from them"),
            counted_from=_("from the order"),
            reason=_(
                "Bookkeeping law: 10 years from the end of the order's year (Germany, §147 AO; "
                "the platform's default, configurable). Then the order keeps its figures but "
                "loses your name, account and address."
            ),
            rows=_not_yet_pseudonymised,
            pseudonymise=_pseudonymise,
        ),
    ]
