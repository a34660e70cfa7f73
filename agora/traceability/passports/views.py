"""Public passport pages, QR images and label sheets, and the certificate pages (view, download,
transfer by the holder, redeem by the resale buyer)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.services import actor_for_user
from agora.core.errors import AgoraError
from agora.core.extension_points import passport_history, product_footprint
from agora.traceability.epcis.identifiers import IdentifierError, gtin_normalise
from agora.traceability.passports import certificates as cert_rules
from agora.traceability.passports import labels, linkset, selectors
from agora.traceability.passports.errors import INVALID_DIGITAL_LINK
from agora.traceability.passports.identity import digital_link
from agora.traceability.passports.journey import journey_steps, proof_of
from agora.traceability.passports.services import (
    certificate_transfer_redeem,
    certificate_transfer_start,
)

MAX_LABEL_ITEMS = 240


def _gtin_or_400(request: HttpRequest, gtin: str) -> str | HttpResponse:
    try:
        return gtin_normalise(gtin)
    except IdentifierError as exc:
        error = AgoraError(INVALID_DIGITAL_LINK, str(exc))
        return render(
            request, "traceability/resolver_error.html", {"error": error, "status": 400}, status=400
        )


@require_GET
def passport(request: HttpRequest, gtin: str) -> HttpResponse:
    """The public digital product passport (the resolver's default link)."""
    checked = _gtin_or_400(request, gtin)
    if isinstance(checked, HttpResponse):
        return checked
    serial = request.GET.get("serial") or None
    lot = request.GET.get("lot") or None
    resolution = selectors.resolve(gtin=checked, serial=serial, lot=lot)
    if resolution is None:
        raise Http404(f"GTIN {checked} is not known here")
    item = resolution.item
    link = digital_link(
        gtin=checked,
        serial=item.serial if item else None,
        lot=resolution.lot.code if resolution.lot and not item else None,
        request=request,
    )
    certificate = None
    certificate_proof = None
    if item is not None:
        viewer = request.user.pk if request.user.is_authenticated else None
        certificate = selectors.certificate_for(item, viewer_id=viewer)
        if certificate is not None:
            certificate_proof = proof_of(
                cert_rules.LOG_KIND, certificate.public_id, record=certificate.record
            )
    qr_query = _qr_query(resolution)
    context: dict[str, Any] = {
        "resolution": resolution,
        "product": resolution.product,
        "variant": resolution.variant,
        "passport": resolution.passport,
        "footprint": _stated_footprint(resolution.product.public_id),
        "owners": _ownership_history(checked, item.serial if item else None),
        "item": item,
        "lot": resolution.lot,
        "seller_name": selectors.seller_name(resolution.variant.seller_id),
        "image": selectors.product_image(resolution.product.pk),
        "journey": journey_steps(resolution),
        "certificate": certificate,
        "certificate_proof": certificate_proof,
        "digital_link": link,
        "linkset_url": linkset.linkset_url(link),
        "qr_svg": reverse("traceability:qr", args=[checked, "svg"]) + qr_query,
        "qr_png": reverse("traceability:qr", args=[checked, "png"]) + qr_query,
        "label_pdf": reverse("traceability:labels", args=[checked]) + qr_query,
    }
    return render(request, "traceability/passport.html", context)


def _stated_footprint(product_public_id: str) -> dict[str, Any] | None:
    """A capability's footprint with its basis (``catalog.product_footprint``); when none is
    stated the page falls back to the passport's own carbon field."""
    for implementation in product_footprint.implementations():
        answer = implementation(product_public_id)
        if answer is not None:
            return answer
    return None


def _ownership_history(gtin: str, serial: str | None) -> list[dict[str, Any]]:
    """Who held a resold unit (``traceability.passport_history``; circular's resale)."""
    return [row for impl in passport_history.implementations() for row in impl(gtin, serial)]


def _qr_query(resolution: selectors.Resolution) -> str:
    if resolution.item is not None:
        return f"?serial={quote(resolution.item.serial)}"
    if resolution.lot is not None:
        return f"?lot={quote(resolution.lot.code)}"
    return ""


def _label_target(request: HttpRequest, gtin: str) -> tuple[selectors.Resolution, str] | None:
    serial = request.GET.get("serial") or None
    lot = request.GET.get("lot") or None
    resolution = selectors.resolve(gtin=gtin, serial=serial, lot=lot)
    if resolution is None or resolution.fell_back:
        return None
    link = digital_link(
        gtin=gtin,
        serial=resolution.item.serial if resolution.item else None,
        lot=resolution.lot.code if resolution.lot and not resolution.item else None,
        request=request,
    )
    return resolution, link


def _target_or_error(request: HttpRequest, gtin: str) -> tuple[str, Any] | HttpResponse:
    """The checked GTIN and what a QR code or label names (``_label_target``), or the 400 of a
    malformed GTIN; an unknown product, lot or item is a 404."""
    checked = _gtin_or_400(request, gtin)
    if isinstance(checked, HttpResponse):
        return checked
    target = _label_target(request, checked)
    if target is None:
        raise Http404("no such product, lot or item")
    return checked, target


@require_GET
def qr_image(request: HttpRequest, gtin: str, fmt: str) -> HttpResponse:
    """``/passports/qr/<gtin>.svg|.png[?serial=|?lot=]``: the Digital Link as a QR code."""
    target = _target_or_error(request, gtin)
    if isinstance(target, HttpResponse):
        return target
    _, (_, link) = target
    if fmt == "svg":
        body = labels.qr_svg(link, title=gettext("QR code: %(link)s") % {"link": link})
        content_type = "image/svg+xml"
    else:
        try:
            scale = int(request.GET.get("scale", "8"))
        except ValueError:
            scale = 8
        body = labels.qr_png(link, scale=scale)
        content_type = "image/png"
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def label_sheet(request: HttpRequest, gtin: str) -> HttpResponse:
    """A printable A4 PDF: the one item, lot or product asked for, or with ``?all=items`` every
    serialised item of the GTIN (up to 240)."""
    target = _target_or_error(request, gtin)
    if isinstance(target, HttpResponse):
        return target
    checked, (resolution, link) = target
    title = resolution.product.title
    if resolution.variant.title:
        title = f"{title} - {resolution.variant.title}"
    if request.GET.get("all") == "items":
        items = selectors.items_of_variant(resolution.variant, limit=MAX_LABEL_ITEMS)
        sheet = [
            labels.Label(
                uri=digital_link(gtin=checked, serial=i.serial, request=request),
                title=title,
                gtin=checked,
                serial=i.serial,
                lot=i.lot.code if i.lot else None,
            )
            for i in items
        ]
    else:
        sheet = [
            labels.Label(
                uri=link,
                title=title,
                gtin=checked,
                serial=resolution.item.serial if resolution.item else None,
                lot=resolution.lot.code if resolution.lot else None,
            )
        ]
    if not sheet:
        raise Http404("this product has no serialised items")
    response = HttpResponse(labels.label_sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="labels-{checked}.pdf"'
    return response


# --- certificates -------------------------------------------------------------------------------


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The certificates the signed-in buyer holds, each with its item and transfer page."""
    held = selectors.certificates_held(request.user.pk)
    return render(request, "traceability/my_certificates.html", {"certificates": held})


@require_GET
def certificate_page(request: HttpRequest, public_id: str) -> HttpResponse:
    """A certificate as anyone may check it: payload, signature status, log proof, chain."""
    cert = selectors.certificate_get(public_id)
    if cert is None:
        raise Http404(f"certificate {public_id} does not exist")
    viewer = request.user.pk if request.user.is_authenticated else None
    view = selectors.certificate_view(cert, viewer_id=viewer)
    item = cert.item
    context = {
        "cert": view,
        "item": item,
        "product": item.variant.product,
        "payload": bytes(cert.payload).decode("utf-8"),
        "proof": proof_of(
            cert_rules.LOG_KIND, cert.public_id, record=json.loads(bytes(cert.payload))
        ),
        "passport_url": linkset.passport_path(
            selectors.Resolution(
                gtin=item.gtin, variant=item.variant, product=item.variant.product, item=item
            )
        ),
        "verifier_key": cert.verifier_key,
        "transfer_code": request.session.pop(f"transfer-code:{cert.public_id}", None)
        if viewer
        else None,
    }
    return render(request, "traceability/certificate.html", context)


@require_GET
def certificate_note(request: HttpRequest, public_id: str) -> HttpResponse:
    """The certificate as a signed note (text/plain), for signed-note tools."""
    cert = selectors.certificate_get(public_id)
    if cert is None:
        raise Http404(f"certificate {public_id} does not exist")
    text = cert_rules.signed_note(bytes(cert.payload), bytes(cert.signature), cert.verifier_key)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{public_id}.note"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_POST
def certificate_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    """The holder asks for a one-time code to give the buyer; it is shown once."""
    cert = selectors.certificate_get(public_id)
    if cert is None:
        raise Http404(f"certificate {public_id} does not exist")
    try:
        code = certificate_transfer_start(actor=actor_for_user(request.user), certificate=cert)
    except AgoraError as exc:
        messages.error(request, str(exc))
    else:
        request.session[f"transfer-code:{cert.public_id}"] = code
    return HttpResponseRedirect(reverse("traceability:certificate", args=[public_id]))


@login_required
@require_http_methods(["GET", "POST"])
def certificate_redeem(request: HttpRequest) -> HttpResponse:
    """The resale buyer enters the code and becomes the holder of a new certificate."""
    error = None
    if request.method == "POST":
        try:
            new = certificate_transfer_redeem(
                actor=actor_for_user(request.user),
                code=request.POST.get("code", ""),
                new_holder=request.user,
            )
        except AgoraError as exc:
            error = str(exc)
        else:
            messages.success(request, gettext("The certificate is now yours."))
            return HttpResponseRedirect(reverse("traceability:certificate", args=[new.public_id]))
    return render(
        request,
        "traceability/redeem.html",
        {"error": error, "code": request.POST.get("code", "")},
        status=422 if error else 200,
    )
