"""Consent pages: the banner's three answers (all, necessary only, choose), and the privacy page
where the same choices are changed or withdrawn at any time, with their history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.core.errors import AgoraError
from agora.privacy.forms import ConsentForm
from agora.privacy.models import ConsentRecord
from agora.privacy.purposes import ASKED, PURPOSES
from agora.privacy.retention.labels import lines as retention_lines
from agora.privacy.rights.links import export_token
from agora.privacy.selectors import consent_history, consent_state
from agora.privacy.services import consent_set
from agora.privacy.subjects import request_subject


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok else "/"


@require_POST
def banner(request: HttpRequest) -> HttpResponse:
    """The banner's answer: ``all`` or ``necessary``; the versions it showed come with it."""
    answer = request.POST.get("answer")
    if answer not in ("all", "necessary"):
        messages.error(request, _("Choose “Accept all” or “Necessary only”."))
        return redirect(_next(request))
    versions = {}
    for code in ASKED:
        try:
            versions[code] = int(request.POST.get(f"{code}_version", ""))
        except ValueError:
            versions[code] = -1
    try:
        consent_set(
            subject=request_subject(request, create=True),
            choices={code: answer == "all" for code in ASKED},
            versions=versions,
            method=ConsentRecord.Method.BANNER,
        )
    except AgoraError as exc:
        messages.error(request, _("Your choice was not saved: %(why)s") % {"why": exc.detail})
        return redirect(_next(request))
    return redirect(_next(request))


@require_http_methods(["GET", "POST"])
def privacy_page(request: HttpRequest) -> HttpResponse:
    subject = request_subject(request, create=request.method == "POST")
    state = consent_state(subject)
    granted = {code: s.counts for code, s in state.items()}
    form = ConsentForm(request.POST or None, granted=granted)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consent_set(
                    subject=subject,
                    choices=form.choices(),
                    versions=form.versions(),
                    method=ConsentRecord.Method.ACCOUNT,
                )
            except AgoraError as exc:
                form.add_error(None, exc.detail)
                status = 409
            else:
                messages.success(request, _("Your privacy choices are saved."))
                return redirect("privacy:page")
        else:
            status = 422
    return render(
        request,
        "privacy/page.html",
        {
            "form": form,
            "state": state,
            "purposes": PURPOSES,
            "history": consent_history(subject)[:50] if subject else [],
            "retention": retention_lines(),
            "tab": "privacy",
            "export_token": (
                export_token(request.user.public_id) if request.user.is_authenticated else ""
            ),
            "erase_error": request.session.pop("privacy_erase_error", ""),
        },
        status=status,
    )
