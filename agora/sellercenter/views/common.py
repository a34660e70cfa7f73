"""What every seller-center view shares: rendering a page or one of its partials, and paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agora.core.errors import AgoraError

# A form that did not validate is answered 422 (htmx is configured to swap it in anyway).
INVALID = 422


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page(
    request: HttpRequest,
    template: str,
    title: str,
    section: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Renders ``template`` (or only ``template#partial`` for an htmx request when ``partial``
    is given) with the seller desk, the page title and the navigation section."""
    data = dict(context or {})
    data.update(page_title=title, section=section, desk=getattr(request, "desk", None))
    name = f"{template}#{partial}" if partial and is_htmx(request) else template
    return render(request, name, data, status=status)


def cursor_page[R](request: HttpRequest, lookup: Callable[..., R], **criteria: Any) -> R:
    """One page of ``lookup`` (a cursor-paginated selector) at the request's ``cursor``; a
    cursor that is not ours (edited, or from another filter) starts again at the first page."""
    cursor = request.GET.get("cursor") or None
    try:
        return lookup(cursor=cursor, **criteria)
    except AgoraError:
        return lookup(**criteria)
