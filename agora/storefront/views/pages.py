"""Buyer pages. For now: a landing page and the pages that explain API problem types."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agora.catalog.selectors import product_count_published, product_list_public
from agora.core.errors import registered_problem_types


def home(request: HttpRequest) -> HttpResponse:
    page = product_list_public(filters={}, limit=24)
    return render(
        request,
        "storefront/home.html",
        {"products": page.items, "product_count": product_count_published()},
    )


def problem_index(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/problems.html", {"types": registered_problem_types()})


def problem_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ptype = registered_problem_types().get(slug)
    if ptype is None:
        raise Http404(f"no problem type {slug!r}")
    return render(request, "storefront/problem.html", {"ptype": ptype})
