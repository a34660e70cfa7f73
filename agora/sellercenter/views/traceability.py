"""Traceability in the seller center: the events a seller captured, uploading an EPCIS file,
recording a production batch, and printing Digital Link labels."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.core.errors import AgoraError
from agora.sellercenter.access import seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.views.common import INVALID, cursor_page, page
from agora.traceability.capture import selectors
from agora.traceability.capture.batches import batch_record
from agora.traceability.capture.forms import BatchForm, EpcisUploadForm, LabelForm
from agora.traceability.capture.selectors import lot_of
from agora.traceability.capture.services import epcis_capture
from agora.traceability.epcis.identifiers import IdentifierError
from agora.traceability.passports.identity import digital_link
from agora.traceability.passports.labels import Label, label_sheet_pdf
from agora.traceability.passports.services import items_serialise

SECTION = "traceability"


@seller_page("catalog:read")
def overview(request: HttpRequest) -> HttpResponse:
    rows = cursor_page(
        request,
        selectors.event_list_for_seller,
        seller=request.desk.seller,  # type: ignore[attr-defined]
        limit=50,
    )
    return page(
        request,
        "sellercenter/traceability/overview.html",
        _("Traceability"),
        SECTION,
        {"events": rows.items, "next_cursor": rows.next_cursor},
        partial="results",
    )


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Captures an EPCIS file as the API does; a refused file shows every problem by event and
    rule, and nothing of it is stored."""
    form = EpcisUploadForm(request.POST or None, request.FILES or None)
    result, problems, refusal, status = None, [], "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = epcis_capture(
                    seller=request.desk.seller,  # type: ignore[attr-defined]
                    raw=form.cleaned_data["file"].read(),
                    source="upload",
                    actor=request.desk.actor,  # type: ignore[attr-defined]
                )
            except AgoraError as exc:
                problems = list(exc.extra.get("errors", []))
                refusal = exc.detail
                status = INVALID
        else:
            status = INVALID
    return page(
        request,
        "sellercenter/traceability/upload.html",
        _("Upload an EPCIS file"),
        SECTION,
        {
            "form": form,
            "result": result,
            "captured": list(zip(result.event_ids, result.log_indices, strict=True))
            if result
            else [],
            "problems": problems,
            "refusal": refusal,
        },
        partial="report",
        status=status,
    )


@seller_page("catalog:write")
@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest) -> HttpResponse:
    """Records a production batch (the lot and its commissioning event, together)."""
    variants = selectors.variants_with_gtin(seller=request.desk.seller)  # type: ignore[attr-defined]
    form = BatchForm(request.POST or None, variants=variants)
    recorded, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                recorded = batch_record(
                    actor=request.desk.actor,  # type: ignore[attr-defined]
                    variant=data["variant"],
                    lot=data["lot"],
                    quantity=data["quantity"],
                    produced_on=data["produced_on"],
                    place=data["place"],
                    company_prefix=data["company_prefix"],
                )
            except AgoraError as exc:
                add_service_error(form, exc, {"code": "lot"})
                status = INVALID
            else:
                form = BatchForm(variants=variants)
        else:
            status = INVALID
    return page(
        request,
        "sellercenter/traceability/batch.html",
        _("Record a batch"),
        SECTION,
        {"form": form, "recorded": recorded, "variants": variants},
        status=status,
    )


def _register(request: HttpRequest, form: LabelForm) -> bool:
    """Serialises the form's serial numbers (in its lot, when that lot is recorded); puts a
    refusal on the form and answers False."""
    data = form.cleaned_data
    lot = lot_of(variant=data["variant"], code=data["lot"]) if data["lot"] else None
    try:
        items_serialise(
            actor=request.desk.actor,  # type: ignore[attr-defined]
            variant=data["variant"],
            serials=data["serials"],
            lot=lot,
        )
    except AgoraError as exc:
        add_service_error(form, exc)
        return False
    return True


@seller_page("catalog:read")
@require_http_methods(["GET", "POST"])
def labels(request: HttpRequest) -> HttpResponse:
    """A PDF sheet of QR labels: one per serial number, or ``copies`` of the lot's (or the
    product's) Digital Link; the serial numbers may be registered as items on the way."""
    variants = selectors.variants_with_gtin(seller=request.desk.seller)  # type: ignore[attr-defined]
    form = LabelForm(request.POST or None, variants=variants)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        variant, lot = data["variant"], data["lot"] or None
        wanted = [(s, lot) for s in data["serials"]] or [(None, lot)] * (data["copies"] or 1)
        try:
            sheet = [
                Label(
                    uri=digital_link(gtin=variant.gtin, serial=serial, lot=lot, request=request),
                    title=variant.product.title,
                    gtin=variant.gtin,
                    serial=serial,
                    lot=lot,
                )
                for serial, lot in wanted
            ]
        except IdentifierError as exc:
            form.add_error("serials" if data["serials"] else "lot", str(exc))
        else:
            if not (data["register"] and data["serials"]) or _register(request, form):
                response = HttpResponse(label_sheet_pdf(sheet), content_type="application/pdf")
                filename = f"labels-{variant.sku}.pdf"
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
    return page(
        request,
        "sellercenter/traceability/labels.html",
        _("Print labels"),
        SECTION,
        {"form": form, "variants": variants},
        status=INVALID if request.method == "POST" else 200,
    )
