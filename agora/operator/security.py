"""The operator console's page of account security events (sign-ins, failures, lock-outs, 2FA
changes, sessions ended, password changes, API key limits) across every account, filtered by
kind and by account, newest first, a page at a time. Read-only; the trail is written by
``agora.accounts`` alone.

The page shows truncated IPs and short User-Agents (all the trail keeps) and names accounts by
public id, not e-mail address. Beyond being staff (``OperatorSite.admin_view``) it needs the
``accounts.view_securityevent`` permission: reading everyone's sign-in trail is not every
operator's business."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agora.accounts.models import SecurityEvent
from agora.accounts.security_events import SecurityEventPage, security_event_search
from agora.core.errors import AgoraError

PERMISSION = "accounts.view_securityevent"


def security_events_view(site: AdminSite, request: HttpRequest) -> HttpResponse:
    """``?kind=&user=&cursor=``: the filter form, one page of events and the link to older ones."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied("viewing security events needs accounts.view_securityevent")
    kind = request.GET.get("kind", "").strip()
    user = request.GET.get("user", "").strip()[:40]
    cursor = request.GET.get("cursor", "").strip()
    try:
        page = security_event_search(kind=kind, user_public_id=user, cursor=cursor)
    except AgoraError as exc:
        messages.error(
            request, "; ".join(f"{e.field}: {e.message}" for e in exc.errors) or exc.detail
        )
        kind, cursor = ("" if any(e.field == "kind" for e in exc.errors) else kind), ""
        page = security_event_search(kind=kind, user_public_id=user)
    filters = {k: v for k, v in (("kind", kind), ("user", user)) if v}
    older = "?" + urlencode({**filters, "cursor": page.next_cursor}) if page.next_cursor else ""
    context = {
        **site.each_context(request),
        "title": _("Security events"),
        "page": page,
        "rows": _rows(page),
        "kinds": SecurityEvent.Kind.values,
        "kind": kind,
        "user_filter": user,
        "older_url": older,
        "first_url": ("?" + urlencode(filters)) if filters else "?",
        "paged": bool(cursor),
    }
    return TemplateResponse(request, "operator/security_events.html", context)


def _rows(page: SecurityEventPage) -> list[dict[str, object]]:
    return [
        {
            "e": event,
            "user": event.user.public_id if event.user is not None else "",
            "detail": ", ".join(f"{k}: {v}" for k, v in sorted(event.detail.items())),
        }
        for event in page.items
    ]
