"""RFC 9457 problem types and the one exception services raise for a refused request.

Each app declares its problem types (a stable ``type`` URI, a title, an HTTP status) in its own
``errors.py``; clients key on ``type``, never on the message. Every type resolves to a page under
``/problems/`` that explains it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


@dataclass(frozen=True, slots=True)
class ProblemType:
    slug: str
    title: str
    status: int
    description: str

    @property
    def uri(self) -> str:
        return f"{settings.AGORA_PROBLEM_BASE}{self.slug}"


_REGISTRY: dict[str, ProblemType] = {}


def problem_type(slug: str, title: str, status: int, description: str) -> ProblemType:
    """Declares a problem type once; declaring the same slug twice with another meaning fails."""
    ptype = ProblemType(slug, title, status, description)
    existing = _REGISTRY.setdefault(slug, ptype)
    if existing != ptype:
        raise ValueError(f"problem type {slug!r} is declared twice with different meanings")
    return existing


def registered_problem_types() -> dict[str, ProblemType]:
    return dict(sorted(_REGISTRY.items()))


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class AgoraError(Exception):
    """A refused request: carries a problem type, a human detail and the fields at fault."""

    problem: ProblemType
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Exception.__init__(self, self.detail)

    def __str__(self) -> str:
        return self.detail

    def as_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.problem.uri,
            "title": self.problem.title,
            "status": self.problem.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        body.update(self.extra)
        return body


VALIDATION = problem_type(
    "validation-error",
    "The request is not valid",
    422,
    "One or more fields are missing, of the wrong type, or out of range; `errors` lists each "
    "field (as a dotted path) with what is wrong and what would be accepted.",
)
MALFORMED = problem_type(
    "malformed-request",
    "The request body could not be read",
    400,
    "The body is not well-formed JSON, or not the media type the endpoint accepts.",
)
NOT_FOUND = problem_type(
    "not-found",
    "Not found",
    404,
    "No such object exists, or it belongs to another seller (the API does not say which).",
)
UNAUTHENTICATED = problem_type(
    "unauthenticated",
    "Authentication required",
    401,
    "The request carries no API key, or one that is unknown, malformed or revoked. Send "
    "`Authorization: Bearer agora_…`.",
)
FORBIDDEN = problem_type(
    "forbidden",
    "Not allowed",
    403,
    "The credentials are valid but lack the scope or role this action needs.",
)
CONFLICT = problem_type(
    "conflict",
    "Conflict with the current state",
    409,
    "The request is valid but clashes with existing data, e.g. a SKU already in use.",
)
INVALID_TRANSITION = problem_type(
    "invalid-state-transition",
    "That state change is not allowed",
    409,
    "The object is in a state from which the requested transition is not permitted; the detail "
    "names the current state and the allowed next states.",
)
IDEMPOTENCY_KEY_REUSED = problem_type(
    "idempotency-key-reused",
    "Idempotency-Key reused with a different request",
    422,
    "The same Idempotency-Key was already used with a different method, path or body. Use a "
    "new key for a new request.",
)
IDEMPOTENCY_IN_PROGRESS = problem_type(
    "idempotency-key-in-progress",
    "A request with this Idempotency-Key is still running",
    409,
    "Retry after the first request with this key has finished.",
)
REQUEST_TOO_LARGE = problem_type(
    "request-too-large",
    "The request body is too large",
    413,
    "The body exceeds the size the server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE); send less per "
    "request, e.g. split a bulk change into several.",
)
METHOD_NOT_ALLOWED = problem_type(
    "method-not-allowed", "Method not allowed", 405, "The endpoint does not accept this method."
)
RATE_LIMITED = problem_type(
    "rate-limited",
    "Too many requests",
    429,
    "The caller sent more requests than its limit allows; retry after the `Retry-After` seconds.",
)
SERVER_ERROR = problem_type(
    "server-error",
    "Internal server error",
    500,
    "Something failed on our side; nothing was half-written. The error was logged.",
)


def not_found(what: str, public_id: str) -> AgoraError:
    return AgoraError(NOT_FOUND, f"{what} {public_id!r} does not exist")


def invalid(field_name: str, message: str) -> AgoraError:
    return AgoraError(VALIDATION, f"{field_name}: {message}", [FieldError(field_name, message)])


def require_max_length(field_name: str, value: str, limit: int) -> None:
    """Refuses text longer than its column: PostgreSQL would fail the write as a server error
    (SQLite would store it silently), and importers call services, not the API's schemas."""
    if len(value) > limit:
        raise invalid(field_name, f"is {len(value)} characters long; at most {limit} are allowed")
