"""The buyer's "Resell this" button on the order page (a form posting here). Thin: call the
service, say what happened, go back to the order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.accounts.services import actor_for_user
from agora.circular.resale.services import resale_request_from_order
from agora.core.errors import AgoraError


@login_required
@require_POST
def resell(request: HttpRequest, order_id: str) -> HttpResponse:
    try:
        line_no = int(request.POST.get("line", ""))
    except ValueError:
        messages.error(request, _("Choose the item to resell."))
        return redirect("storefront:order_detail", order_id=order_id)
    try:
        made = resale_request_from_order(
            actor=actor_for_user(request.user),  # type: ignore[arg-type]
            user=request.user,
            order_id=order_id,
            line_no=line_no,
        )
    except AgoraError as exc:
        messages.error(request, _("The item was not offered for resale: %(why)s") % {"why": exc})
    else:
        messages.success(
            request,
            _(
                "Resale request %(id)s sent. Send the item to our inspection centre; we grade it, "
                "suggest a price and list it."
            )
            % {"id": made.public_id},
        )
    return redirect("storefront:order_detail", order_id=order_id)
