"""The public evidence page of a green label (the document or the computed rule with its
figures, the review, the expiry, the challenges and the challenge form) and the certificate
document itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from agora.core.actors import Actor
from agora.core.errors import AgoraError
from agora.sustainability.labels import documents, selectors
from agora.sustainability.labels.forms import ChallengeForm
from agora.sustainability.labels.services import label_challenge


def _challenger(request: HttpRequest) -> Actor:
    """Who challenges: the signed-in user by email, else an anonymous member of the public."""
    if request.user.is_authenticated:
        return Actor(kind="user", label=request.user.public_id, user_id=request.user.pk)
    return Actor(kind="guest", label="anonymous visitor")


@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, public_id: str) -> HttpResponse:
    label = selectors.label_get(public_id)
    if label is None:
        raise Http404(f"label {public_id} does not exist")
    form = ChallengeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                label_challenge(
                    actor=_challenger(request),
                    label=label,
                    reason=form.cleaned_data["reason"],
                    contact_email=form.cleaned_data["contact_email"],
                )
            except AgoraError as exc:
                form.add_error(None, str(exc))
                status = 422
            else:
                messages.success(
                    request, gettext("Thank you. Your challenge is recorded; an operator decides.")
                )
                return HttpResponseRedirect(
                    reverse("sustainability_labels:evidence", args=[public_id]) + "#challenges"
                )
        else:
            status = 422
    context = {
        "label": label,
        "product": label.product,
        "challenges": selectors.challenges_of(label),
        "form": form,
        "document_url": reverse("sustainability_labels:document", args=[public_id])
        if label.evidence == label.Evidence.DOCUMENT
        else None,
        "badge": selectors.badge_text(label),
        # Operators are named by the part of their login before the @, not their address.
        "reviewer": label.reviewed_by.split("@", 1)[0],
    }
    return render(request, "sustainability/labels/evidence.html", context, status=status)


@require_GET
def document(request: HttpRequest, public_id: str) -> FileResponse:
    """The uploaded certificate, with the type checked at upload; never rendered as HTML."""
    label = selectors.label_get(public_id)
    if label is None or label.document_type not in documents.SERVED_TYPES:
        raise Http404("no certificate document")
    if not documents.document_exists(label.document_path):
        raise Http404("the certificate file is missing")
    response = FileResponse(
        default_storage.open(label.document_path, "rb"), content_type=label.document_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "sandbox"
    return response
