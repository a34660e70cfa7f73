"""How long checkout keeps carts and checkouts (registered in ``apps.py`` through the
``privacy.retention_rules`` extension point; see :mod:`agora.core.retention`).

Checkouts come first: a cart is kept while any checkout refers to it (``Checkout.cart`` is
protected), so the sweep, which applies rules in this order, frees carts the same day.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agora.core.retention import Action, RetentionRule
from agora.orders.retention import BOOKKEEPING_DAYS  # paid checkouts go with their orders


def _session_days() -> int:
    """A guest's cart is found by a token in their session: it must outlive the session."""
    return max(1, math.ceil(settings.SESSION_COOKIE_AGE / 86400))


def _unfinished_checkouts() -> QuerySet:
    from agora.checkout.models import Checkout

    return Checkout.objects.filter(state__in=(Checkout.State.FAILED, Checkout.State.COMPENSATED))


def _paid_checkouts() -> QuerySet:
    from agora.checkout.models import Checkout

    return Checkout.objects.filter(state=Checkout.State.PAID)


def _free_carts() -> QuerySet:
    from agora.checkout.models import Cart

    return Cart.objects.filter(checkouts__isnull=True)


def _guest_carts() -> QuerySet:
    from agora.checkout.models import Cart

    return _free_carts().filter(buyer__isnull=True, status=Cart.Status.OPEN)


def _buyer_carts() -> QuerySet:
    from agora.checkout.models import Cart

    return _free_carts().filter(buyer__isnull=False, status=Cart.Status.OPEN)


def _closed_carts() -> QuerySet:
    from agora.checkout.models import Cart

    return _free_carts().filter(Q(status=Cart.Status.MERGED) | Q(status=Cart.Status.CHECKED_OUT))


def retention_rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            kind="checkout.unfinished_checkouts",
            model="checkout.Checkout",
            age_field="updated_at",
            days=90,
            action=Action.DELETE,
            title=_("Unfinished checkouts (payment refused or abandoned, with the e-mail typed)"),
            counted_from=_("from its last step"),
            reason=_(
                "Nothing was charged and their orders were cancelled; three months covers "
                "questions about a refused payment."
            ),
            rows=_unfinished_checkouts,
        ),
        RetentionRule(
            kind="checkout.paid_checkouts",
            model="checkout.Checkout",
            age_field="updated_at",
            days=BOOKKEEPING_DAYS,
            action=Action.DELETE,
            title=_("Paid checkouts (the payment step of your orders, with the e-mail)"),
            counted_from=_("from payment"),
            reason=_("Part of the record of the orders they placed: kept as long as the orders."),
            rows=_paid_checkouts,
        ),
        RetentionRule(
            kind="checkout.guest_carts",
            model="checkout.Cart",
            age_field="updated_at",
            days=30,
            action=Action.DELETE,
            title=_("Carts of guests who did not buy"),
            counted_from=_("from the last change"),
            reason=_(
                "Only the guest's browser session can find the cart, and it ends after two "
                "weeks without a visit."
            ),
            rows=_guest_carts,
            min_days=_session_days,
        ),
        RetentionRule(
            kind="checkout.buyer_carts",
            model="checkout.Cart",
            age_field="updated_at",
            days=365,
            action=Action.DELETE,
            title=_("Carts of signed-in buyers left without buying"),
            counted_from=_("from the last change"),
            reason=_("Your cart waits for you across devices, but not for more than a year."),
            rows=_buyer_carts,
        ),
        RetentionRule(
            kind="checkout.closed_carts",
            model="checkout.Cart",
            age_field="updated_at",
            days=30,
            action=Action.DELETE,
            title=_("Merged or checked-out carts no checkout refers to any more"),
            counted_from=_("from the last change"),
            reason=_("Their contents live on in your cart or your orders."),
            rows=_closed_carts,
        ),
    ]
