"""The buyer's page: the delivery footprint of their orders, totalled per calendar year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from agora.sustainability.delivery.selectors import buyer_footprints, buyer_yearly_totals


@login_required
@never_cache
def my_delivery_footprint(request: HttpRequest) -> HttpResponse:
    years = buyer_yearly_totals(user=request.user)
    latest = years[0]["year"] if years else None
    return render(
        request,
        "sustainability/delivery/my_footprint.html",
        {
            "years": years,
            "latest": latest,
            "orders": buyer_footprints(user=request.user, year=latest) if latest else [],
        },
    )
