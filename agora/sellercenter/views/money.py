"""Money: the balance from the ledger (in escrow, payable, paid out), the latest ledger entries,
payouts and asking for one."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core.errors import AgoraError
from agora.payments.selectors import seller_balance
from agora.payments.services import payout_create
from agora.sellercenter import selectors
from agora.sellercenter.access import seller_page
from agora.sellercenter.feedback import meaning
from agora.sellercenter.forms.orders import PayoutForm
from agora.sellercenter.views.common import page


@seller_page("orders:read")
def money(request: HttpRequest) -> HttpResponse:
    seller = request.desk.seller  # type: ignore[attr-defined]
    currencies = selectors.ledger_currencies(seller=seller)
    return page(
        request,
        "sellercenter/money.html",
        _("Money"),
        "money",
        {
            "balances": [seller_balance(seller=seller, currency=c) for c in currencies],
            "entries": selectors.ledger_entries(seller=seller),
            "payouts": selectors.payout_list(seller=seller),
            "payout_form": PayoutForm(currencies=currencies) if currencies else None,
            # A fresh key per form: a double-clicked button pays out once.
            "payout_key": secrets.token_urlsafe(16),
        },
    )


@seller_page("sellers:write")
@require_POST
def payout(request: HttpRequest) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    form = PayoutForm(request.POST, currencies=selectors.ledger_currencies(seller=desk.seller))
    key = request.POST.get("key", "")[:100]
    if form.is_valid():
        try:
            created = payout_create(
                actor=desk.actor,
                seller=desk.seller,
                currency=form.cleaned_data["currency"],
                idempotency_key=f"sellercenter:{desk.seller.public_id}:{key}" if key else "",
            )
        except AgoraError as exc:
            messages.error(request, meaning(exc))
        else:
            messages.success(request, _("Payout %(id)s created.") % {"id": created.public_id})
    else:
        messages.error(request, _("Choose a currency."))
    return redirect("sellercenter:money")
