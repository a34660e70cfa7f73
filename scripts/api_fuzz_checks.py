"""Schemathesis checks of our own, loaded by ``scripts/api-fuzz`` through SCHEMATHESIS_HOOKS.

Schemathesis' built-in checks see whether a response matches the schema the operation documents;
our promise is wider: every error of the API, documented or not, is an RFC 9457 problem document
(``application/problem+json`` with a string ``type`` and ``title`` and the response's own
``status``). This check holds every 4xx/5xx answer to that promise.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

PROBLEM = "application/problem+json"


@schemathesis.check
def problem_json_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Fails on an error response that is not a well-formed problem document."""
    status = response.status_code
    if status < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.split(";")[0].strip().lower() != PROBLEM:
        raise AssertionError(
            f"{status} answered with Content-Type {content_type or '(none)'!r}, not {PROBLEM}"
        )
    try:
        body = json.loads(response.content or b"")
    except ValueError as exc:
        raise AssertionError(f"{status} problem body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise AssertionError(f"{status} problem body is a {type(body).__name__}, not an object")
    wrong = [
        name
        for name, kind in (("type", str), ("title", str), ("status", int))
        if not isinstance(body.get(name), kind) or isinstance(body.get(name), bool)
    ]
    if wrong:
        raise AssertionError(f"{status} problem lacks a valid {', '.join(wrong)}: {body!r:.300}")
    if body["status"] != status:
        raise AssertionError(f"problem says status {body['status']} but the response is {status}")
    return None
