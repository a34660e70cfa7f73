"""The GS1 Digital Link resolver: ``/01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>]`` answered as
the GS1-Conformant Resolver standard (1.x) asks.

- no ``linkType``: 307 to the default link (the public passport page), with a ``Link`` header
  pointing at the linkset;
- ``linkType=linkset`` (or ``all``, the GS1 Digital Link 1.1 spelling), or ``Accept:
  application/linkset+json``: the RFC 9264 JSON linkset of every link;
- ``linkType=gs1:<type>``: 307 to that link, or to the default link when the item has none
  (the standard's fallback, so a scanner app never lands on an error);
- an unknown serial or lot: the answer of the GTIN entry, anchored there, and the passport page
  says the serial is unknown; an unknown GTIN: 404; a malformed URI or a wrong check digit: 400
  naming the problem (problem+json for JSON clients, a page for browsers);
- CORS on every answer, OPTIONS preflight, GET and HEAD.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from agora.core.errors import NOT_FOUND, AgoraError
from agora.traceability.epcis.identifiers import (
    IdentifierError,
    digital_link_uri,
    parse_digital_link,
)
from agora.traceability.passports import linkset
from agora.traceability.passports.errors import INVALID_DIGITAL_LINK
from agora.traceability.passports.identity import resolver_base
from agora.traceability.passports.selectors import Resolution, resolve

ALLOWED = "GET, HEAD, OPTIONS"
RESOLVER_PARAMS = {"linkType", "context", "compress"}


def _cors(response: HttpResponse) -> HttpResponse:
    """Resolver answers are public data: any site's script may read them (GS1 requires CORS)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
    response["Access-Control-Expose-Headers"] = "Link, Location, Content-Type"
    response["Vary"] = "Accept, Accept-Language"
    return response


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept and "text/html" not in accept


def _problem(request: HttpRequest, error: AgoraError) -> HttpResponse:
    """An RFC 9457 problem for JSON clients, a readable page for people."""
    if _wants_json(request):
        response = HttpResponse(
            json.dumps(error.as_problem(instance=request.path)),
            status=error.problem.status,
            content_type="application/problem+json",
        )
    else:
        response = render(
            request,
            "traceability/resolver_error.html",
            {"error": error, "status": error.problem.status},
            status=error.problem.status,
        )
    return _cors(response)


def _raw_path(request: HttpRequest) -> str:
    """The path as sent (still percent-encoded, so an encoded '/' in a serial stays one
    segment) when the server passes it on; else Django's re-encoded path."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI") or ""
    path = raw if raw.startswith("/") else request.get_full_path()
    # A trailing slash some tools add is forgiven (it is no GS1 segment).
    return path.split("?", 1)[0].removesuffix("/")


@csrf_exempt
def resolve_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Answers a Digital Link URI on this host."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED
        response["Access-Control-Max-Age"] = "86400"
        return _cors(response)
    if request.method not in {"GET", "HEAD"}:
        response = HttpResponse(status=405)
        response["Allow"] = ALLOWED
        return _cors(response)
    origin = f"{request.scheme}://{request.get_host()}"
    query = request.META.get("QUERY_STRING", "")
    uri = origin + _raw_path(request) + (f"?{query}" if query else "")
    try:
        link = parse_digital_link(uri)
    except IdentifierError as exc:
        return _problem(request, AgoraError(INVALID_DIGITAL_LINK, str(exc)))
    if link.primary_ai != "01" or link.gtin is None:
        return _problem(
            request,
            AgoraError(
                INVALID_DIGITAL_LINK,
                f"this resolver answers GTINs (/01/…), not AI {link.primary_ai}",
            ),
        )
    resolution = resolve(gtin=link.gtin, serial=link.serial, lot=link.lot)
    if resolution is None:
        return _problem(
            request,
            AgoraError(NOT_FOUND, f"GTIN {link.gtin} is not known to this resolver"),
        )
    base = resolver_base(request)
    anchor = _anchor(resolution, base=base)
    found = linkset.links(resolution, origin=origin, digital_link=anchor)
    link_type = link.query.get("linkType")
    accept = request.headers.get("Accept", "")
    if link_type in linkset.LINKSET_VALUES or (
        link_type is None and linkset.LINKSET_TYPE in accept
    ):
        return _linkset_response(resolution, found, anchor=anchor)
    target = linkset.find(found, linkset.DEFAULT_LINK)
    if link_type:
        name = linkset.link_type_name(link_type)
        target = (name and linkset.find(found, name)) or target
    assert target is not None  # links() always lists the default link
    response = HttpResponse(status=307)
    response["Location"] = _with_data_attributes(target.href, link.query)
    response["Link"] = linkset.link_header(anchor)
    if resolution.fell_back:
        response["Warning"] = _fallback_warning(anchor)
    return _cors(response)


def _anchor(resolution: Resolution, *, base: str) -> str:
    """The Digital Link of the entry that answers: the item, else the lot, else the GTIN."""
    if resolution.item is not None:
        return _uri(base, resolution.gtin, serial=resolution.item.serial)
    if resolution.lot is not None:
        return _uri(base, resolution.gtin, lot=resolution.lot.code)
    return _uri(base, resolution.gtin)


def _uri(base: str, gtin: str, *, serial: str | None = None, lot: str | None = None) -> str:
    return digital_link_uri(base=base, gtin=gtin, serial=serial, lot=lot)


def _with_data_attributes(href: str, query: dict[str, str]) -> str:
    """Passes on the request's other query parameters (GS1 data attributes such as ``17``),
    as the standard asks, except the resolver's own."""
    extra = {k: v for k, v in query.items() if k not in RESOLVER_PARAMS}
    if not extra:
        return href
    target, hash_mark, fragment = href.partition("#")
    joiner = "&" if "?" in target else "?"
    return f"{target}{joiner}{urlencode(extra)}{hash_mark}{fragment}"


def _linkset_response(
    resolution: Resolution, found: list[linkset.Link], *, anchor: str
) -> HttpResponse:
    body = linkset.linkset(found, anchor=anchor)
    response = JsonResponse(
        body, content_type=linkset.LINKSET_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Link"] = linkset.context_header()
    if resolution.fell_back:
        # Says plainly which entry answered: the less specific GTIN (or lot) entry.
        response["Warning"] = _fallback_warning(anchor)
    return _cors(response)


def _fallback_warning(anchor: str) -> str:
    return f'299 - "unknown serial or lot; answered for {anchor}"'


def description_view(request: HttpRequest) -> HttpResponse:
    """``/.well-known/gs1resolver``: what this resolver supports."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    return _cors(JsonResponse(linkset.description(root=resolver_base(request))))
