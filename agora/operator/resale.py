"""The operator's resale inspection pages (issue 7 C2): the queue of resale requests by state and
one request with its purchase data, the inspection form (grade, checklist, photos, optional
price), rejection and listing. Buyers' items go to the platform resale seller ``agora-resale``;
operators inspect them here (and may act on any seller's request). The rules are the services'
(:mod:`agora.circular.resale.services`); a refusal is shown on the page with the form kept.
Staff only, through ``OperatorSite.admin_view``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.services import actor_for_user
from agora.circular.models import ResaleRequest
from agora.circular.resale import selectors
from agora.circular.resale.inspection import form_state, posted_step
from agora.circular.resale.pricing import GRADES, WARRANTY_MONTHS
from agora.core.errors import AgoraError

QUEUE_URL = "admin:operator_resale"
DETAIL_URL = "admin:operator_resale_detail"
TABS = ("", *ResaleRequest.Status.values)


def resale_queue_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """Requests of one state (default: waiting for inspection), newest first, 50 a page."""
    status = request.GET.get("status", ResaleRequest.Status.REQUESTED)
    if status not in TABS:
        status = ResaleRequest.Status.REQUESTED
    try:
        page = selectors.requests_page(
            seller=None, status=status, cursor=request.GET.get("cursor") or None
        )
    except AgoraError:  # a cursor that is not ours: start again at the first page
        page = selectors.requests_page(seller=None, status=status)
    context = {
        **site.each_context(request),
        "title": _("Resale inspection"),
        "status": status,
        "tabs": TABS,
        "counts": selectors.status_counts(),
        "page": page,
    }
    return TemplateResponse(request, "operator/resale_queue.html", context)


def _act(request: HttpRequest, item: ResaleRequest) -> str:
    return posted_step(
        actor=actor_for_user(request.user),  # type: ignore[arg-type]
        item=item,
        data=request.POST,
        rejected=_("Rejected %(id)s; the item goes back to its owner."),
    )


def resale_detail_view(site: AdminSite, request: HttpRequest, request_id: str) -> HttpResponse:
    """One request: its purchase data and inspection; inspect, reject or list it."""
    try:
        item = selectors.request_get(public_id=request_id)
    except AgoraError:
        messages.error(request, _("There is no resale request %(id)s.") % {"id": request_id[:40]})
        return HttpResponseRedirect(reverse(QUEUE_URL))
    posted: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        try:
            messages.success(request, _act(request, item))
        except AgoraError as exc:
            messages.error(request, str(exc))
            posted, status = request.POST, 400
        else:
            return HttpResponseRedirect(reverse(DETAIL_URL, args=[item.public_id]))
    context = {
        **site.each_context(request),
        "title": _("Resale request %(id)s") % {"id": item.public_id},
        "item": item,
        "owners": list(item.owners.all()),
        "form": form_state(posted, item),
        "grades": [(g, WARRANTY_MONTHS[g]) for g in GRADES],
        "queue_url": reverse(QUEUE_URL) + f"?status={item.status}",
    }
    return TemplateResponse(request, "operator/resale_detail.html", context, status=status)
