"""The buyer's pages for their rights: download everything (JSON or a readable page) from a
signed link, and erase the account after confirming with the password."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agora.accounts.services import actor_for_user
from agora.core.errors import AgoraError
from agora.privacy.rights.erasure import erasure_run
from agora.privacy.rights.export import export_data, export_html, export_json
from agora.privacy.rights.links import export_token_check


@require_GET
@login_required
def export_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    if fmt not in ("json", "html"):
        raise Http404("the export comes as my-data.json or my-data.html")
    try:
        export_token_check(token, user_public_id=request.user.public_id)
    except AgoraError as exc:
        return render(request, "privacy/export_refused.html", {"detail": exc.detail}, status=400)
    data = export_data(request.user.pk)
    stamp = data["generated_at"][:10]
    if fmt == "json":
        response = HttpResponse(export_json(data), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="agora-my-data-{stamp}.json"'
    else:
        response = HttpResponse(export_html(data), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    confirmed = request.POST.get("confirm") == "erase"
    if not confirmed or not user.check_password(request.POST.get("password", "")):
        why = (
            _("Tick the box to confirm that you want your account erased.")
            if not confirmed
            else _("The password is not right; nothing was erased.")
        )
        request.session["privacy_erase_error"] = why
        return redirect("privacy:page")
    try:
        erasure_run(actor=actor_for_user(user), user_id=user.pk)
    except AgoraError as exc:
        request.session["privacy_erase_error"] = exc.detail
        return redirect("privacy:page")
    logout(request)
    return redirect("privacy:erased")


def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/erased.html")
