"""EPCIS 2.0 capture and query over REST (the shape of the EPCIS 2.0 REST binding).

``POST /epcis/capture`` takes a seller's key with ``catalog:write`` (events describe the
seller's goods); reads are public, since every captured event is published in the
transparency log anyway. The capture body is read here rather than through Django's
``request.body``: EPCIS documents may be up to 10 MB, larger than the platform's general
``DATA_UPLOAD_MAX_MEMORY_SIZE``, and a larger one is refused before it is read.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Router, Status

from agora.api.auth import seller_auth
from agora.api.idempotency import allow_body_up_to
from agora.core.errors import MALFORMED, AgoraError, not_found
from agora.core.pagination import MAX_LIMIT
from agora.marketplace.permissions import require_seller_access
from agora.traceability.capture import errors, selectors, services
from agora.traceability.capture.query import PAGE_PARAMETERS, filters_from, parameter_error
from agora.traceability.capture.schemas import (
    CaptureJobOut,
    capture_job_out,
    event_out,
    query_document,
)
from agora.traceability.models import EpcisEvent

router = Router(tags=["traceability: EPCIS"])
JSON_LD = "application/ld+json"
DEFAULT_PER_PAGE = 30


def _too_large(size: int | None = None) -> AgoraError:
    got = f" ({size:,} bytes)" if size is not None else ""
    return AgoraError(
        errors.EPCIS_TOO_LARGE,
        f"the EPCIS document{got} is larger than {services.MAX_DOCUMENT_BYTES:,} bytes; "
        "split its events over several captures. Nothing was stored.",
    )


def read_capture_body(request: HttpRequest) -> bytes:
    """The request body, at most :data:`services.MAX_DOCUMENT_BYTES`; a larger declared or
    sent body is the 413 problem before (or instead of) reading the rest of it."""
    limit = services.MAX_DOCUMENT_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(declared)
    except ValueError:
        raise AgoraError(MALFORMED, f"Content-Length {declared!r} is not a number") from None
    if length > limit:
        raise _too_large(length)
    body = request.read(limit + 1)
    if len(body) > limit:
        raise _too_large()
    return body


@router.post(
    "/epcis/capture",
    auth=seller_auth,
    response={202: CaptureJobOut},
    # The document is read raw (up to 10 MB) and validated against the EPCIS schema, not a
    # pydantic model; application/json is accepted too.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {JSON_LD: {"schema": {"type": "object", "title": "EPCISDocument"}}},
        }
    },
    summary="Capture an EPCIS 2.0 document (JSON or JSON-LD)",
    description=(
        "Validates the whole document (JSON schema plus the rules it cannot express) and stores "
        "every event, or none: a refused document is a problem whose `errors` name each event "
        "(index, eventID, type), the JSON pointer and the rule. At most 10 MB. Each event is "
        "appended to the transparency log; the answer is the finished capture job."
    ),
)
def capture(request: HttpRequest, response: HttpResponse) -> Status[CaptureJobOut]:
    require_seller_access(request.actor, request.seller, "catalog:write")  # type: ignore[attr-defined]
    raw = read_capture_body(request)
    result = services.epcis_capture(
        seller=request.seller,  # type: ignore[attr-defined]
        raw=raw,
        source="api",
        actor=request.actor,  # type: ignore[attr-defined]
    )
    job = selectors.capture_get(capture_id=result.capture_id)
    response["Location"] = reverse("api-v1:epcis_capture_status", args=[result.capture_id])
    return Status(202, capture_job_out(job, result.log_indices))  # type: ignore[arg-type]


# The Idempotency-Key middleware reads the body before this view; let it read 10 MB here.
allow_body_up_to("/api/v1/epcis/capture", services.MAX_DOCUMENT_BYTES)


@router.get(
    "/epcis/capture/{capture_id}",
    response=CaptureJobOut,
    url_name="epcis_capture_status",
    summary="A capture job's status (captures finish before they are answered)",
)
def capture_status(request: HttpRequest, capture_id: str) -> CaptureJobOut:
    job = selectors.capture_get(capture_id=capture_id)
    if job is None:
        raise not_found("capture job", capture_id)
    return capture_job_out(job, selectors.capture_log_indices(capture=job))


def _per_page(request: HttpRequest) -> int:
    text = request.GET.get("perPage")
    if text is None:
        return DEFAULT_PER_PAGE
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise parameter_error("perPage", f"{text!r} is not a whole number from 1 to {MAX_LIMIT}")
    return int(text)


@router.get(
    "/epcis/events",
    summary="Query captured events (EPCIS 2.0 query parameters)",
    description=(
        "Filters: `eventType`, `GE_eventTime`, `LT_eventTime`, `GE_recordTime`, "
        "`LT_recordTime`, `EQ_action`, `EQ_bizStep`, `EQ_disposition`, `EQ_bizLocation`, "
        "`EQ_readPoint`, `MATCH_epc`, `MATCH_anyEPC`, `MATCH_epcClass`, `MATCH_anyEPCClass` "
        "(EPC URN or GS1 Digital Link), and `gtin`, `serial`, `lot`. Several values: repeat the "
        "parameter or separate them with `|`. Answers an EPCISQueryDocument in record order; "
        "`perPage` (≤ 100) and `nextPageToken`, whose next value is in the `Link` header."
    ),
    response={200: dict},
)
def query_events(request: HttpRequest) -> JsonResponse:
    params = dict(request.GET.lists())
    filters = filters_from(params)
    token = request.GET.get("nextPageToken") or None
    try:
        page = selectors.event_query(filters=filters, cursor=token, limit=_per_page(request))
    except AgoraError as exc:
        if token is not None and exc.errors and exc.errors[0].field == "cursor":
            raise parameter_error("nextPageToken", "is not a token this API returned") from None
        raise
    response = JsonResponse(query_document(page.items), content_type=JSON_LD)
    if page.next_cursor:
        kept = [(k, v) for k, values in params.items() if k not in PAGE_PARAMETERS for v in values]
        kept += [("perPage", str(_per_page(request))), ("nextPageToken", page.next_cursor)]
        response["Link"] = f'<{request.path}?{urlencode(kept)}>; rel="next"'
    return response


@router.get(
    "/epcis/events/{path:event_id}",
    summary="One captured event by its eventID",
    response={200: dict},
)
def get_event(request: HttpRequest, event_id: str) -> JsonResponse:
    event: EpcisEvent | None = selectors.event_get(event_id=event_id)
    if event is None:
        raise not_found("EPCIS event", event_id)
    return JsonResponse(event_out(event), content_type=JSON_LD)
