"""General buyer pages: home, the currency switch, and the pages that explain API problem types."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from agora.catalog.documents import product_documents
from agora.catalog.selectors import product_count_published
from agora.core.errors import registered_problem_types
from agora.storefront import reads
from agora.storefront.preferences import display_currency, set_display_currency

FEATURED_COUNT = 8
RECOMMENDED_COUNT = 8


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """New arrivals and a recommended row: a registered recommender's picks with its reasons,
    or, without one (or with ``?recommendations=off``, the non-profiled choice), the most bought
    items, each saying how many sold. Before anything has sold there is no such row to show
    (the newest items are the next row already), rather than calling new items popular."""
    currency = display_currency(request)
    profiled_off = request.GET.get("recommendations") == "off"
    if profiled_off:
        recommended = reads.popular_cards(currency=currency, limit=RECOMMENDED_COUNT)
    else:
        user_id = request.user.pk if request.user.is_authenticated else None
        recommended = reads.recommended_cards(
            user_id=user_id, currency=currency, limit=RECOMMENDED_COUNT
        )
    featured = reads.cards(
        product_documents(reads.newest_product_ids(limit=FEATURED_COUNT)), currency=currency
    )
    return render(
        request,
        "storefront/home.html",
        {
            "featured": featured,
            "recommended": recommended,
            "profiled_off": profiled_off,
            "product_count": product_count_published(),
            "currency": currency,
        },
    )


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """The currency switch in the footer (a POST form with CSRF, like Django's set_language)."""
    set_display_currency(request, request.POST.get("currency", ""))
    target = request.POST.get("next") or reverse("storefront:home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("storefront:home")
    return HttpResponseRedirect(target)


@require_GET
def problem_index(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/problems.html", {"types": registered_problem_types()})


@require_GET
def problem_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ptype = registered_problem_types().get(slug)
    if ptype is None:
        raise Http404(f"no problem type {slug!r}")
    return render(request, "storefront/problem.html", {"ptype": ptype})
