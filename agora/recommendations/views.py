"""The buyer's controls over recommendations: "why am I seeing this" (DSA Art. 27), the switch
to a feed that is not based on profiling (Art. 38), and "not interested"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from agora.core.errors import AgoraError
from agora.recommendations import serving
from agora.recommendations.services import preference_set, product_not_interested


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next") or reverse("recommendations:why")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("recommendations:why")
    return HttpResponseRedirect(target)


@require_GET
def why(request: HttpRequest) -> HttpResponse:
    """The main parameters of our recommender systems, in plain words, and the switch."""
    user = request.user
    profiled = serving.is_profiled(user.pk) if user.is_authenticated else False
    return render(
        request,
        "recommendations/why.html",
        {"profiled": profiled, "signed_in": user.is_authenticated},
    )


@require_POST
def set_profiling(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(
            f"{reverse('storefront:login')}?next={reverse('recommendations:why')}"
        )
    profiled = request.POST.get("profiled") == "on"
    preference_set(user=request.user, profiled=profiled)
    if profiled:
        messages.success(request, gettext("Recommendations are personal again."))
    else:
        messages.success(request, gettext("Recommendations no longer use anything about you."))
    return _back(request)


@require_POST
def not_interested(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("storefront:login"))
    try:
        product_not_interested(user=request.user, product_public_id=request.POST.get("product", ""))
    except AgoraError as exc:
        messages.error(request, str(exc))
        return _back(request)
    messages.success(request, gettext("Got it: we will not show that item to you again."))
    return _back(request)
