"""Turns every failure in the API into an RFC 9457 ``application/problem+json`` response."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from agora.core.errors import (
    FORBIDDEN,
    MALFORMED,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    RATE_LIMITED,
    REQUEST_TOO_LARGE,
    SERVER_ERROR,
    UNAUTHENTICATED,
    VALIDATION,
    AgoraError,
    FieldError,
    ProblemType,
)

logger = logging.getLogger("agora.api")
CONTENT_TYPE = "application/problem+json"


def problem_response(api: NinjaAPI, request: HttpRequest, error: AgoraError) -> HttpResponse:
    body = error.as_problem(instance=request.path)
    response = api.create_response(request, body, status=error.problem.status)
    response["Content-Type"] = CONTENT_TYPE
    if error.problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="agora"'
    if error.problem.status == 429 and "retry_after" in error.extra:
        response["Retry-After"] = str(error.extra["retry_after"])
    return response


def too_large() -> AgoraError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return AgoraError(REQUEST_TOO_LARGE, f"the request body is larger than {limit} bytes")


def problem_for_405(
    api: NinjaAPI, view: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """Wraps a Ninja path view so a method it does not offer is a 405 problem with ``Allow``."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            CONTENT_TYPE
        ):
            error = AgoraError(
                METHOD_NOT_ALLOWED,
                f"{request.method} is not allowed here; allowed: {response['Allow']}",
            )
            problem = problem_response(api, request, error)
            problem["Allow"] = response["Allow"]
            return problem
        return response

    return wrapped


def unknown_route(api: NinjaAPI) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        return problem_response(
            api, request, AgoraError(NOT_FOUND, f"no API endpoint at {request.path}")
        )

    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'payload', 'variants', 0, 'sku') → 'variants[0].sku' (where the client put it)."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        source = parts.pop(0)
        if (source == "body" and parts and parts[0] == "payload") or (
            source != "body"
            and parts
            and isinstance(parts[0], str)
            and parts[0] in {"filters", "params"}
        ):
            parts.pop(0)
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    message = error.get("msg", "is not valid")
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "missing":
        return "is required"
    if (
        "input" in error
        and kind not in {"missing"}
        and not isinstance(error["input"], (dict, list))
    ):
        return f"{message} (got {error['input']!r})"
    return message


def install(api: NinjaAPI) -> None:
    @api.exception_handler(AgoraError)
    def on_agora_error(request: HttpRequest, exc: AgoraError) -> HttpResponse:
        return problem_response(api, request, exc)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [FieldError(_field_path(e.get("loc", ())), _describe(e)) for e in exc.errors]
        detail = "; ".join(f"{f.field}: {f.message}" for f in fields[:5])
        return problem_response(
            api, request, AgoraError(VALIDATION, detail or "invalid request", fields)
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            api,
            request,
            AgoraError(
                UNAUTHENTICATED,
                "this endpoint needs an API key: send Authorization: Bearer agora_sk_…",
            ),
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(api, request, too_large())

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # Django parses a form body lazily, e.g. when the buyer endpoints' CSRF check looks for
        # csrfmiddlewaretoken; a broken multipart header (no boundary) is the client's mistake.
        return problem_response(
            api, request, AgoraError(MALFORMED, f"the multipart/form-data body is malformed: {exc}")
        )

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(api, request, AgoraError(NOT_FOUND, str(exc) or "not found"))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        kinds: dict[int, ProblemType] = {
            400: MALFORMED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            405: METHOD_NOT_ALLOWED,
            413: REQUEST_TOO_LARGE,
            429: RATE_LIMITED,
        }
        ptype = kinds.get(exc.status_code, MALFORMED)
        detail = str(exc)
        if ptype is MALFORMED and "parse" in detail.lower():
            detail = "the request body is not valid JSON"
        return problem_response(api, request, AgoraError(ptype, detail))

    @api.exception_handler(Exception)
    def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(
            api, request, AgoraError(SERVER_ERROR, "internal error; it was logged")
        )
