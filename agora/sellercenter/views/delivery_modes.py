"""Which transport modes a shipping method's parcels take (issue 7, S1): the seller corrects the
default guessed from the method's name, so checkout and orders show the right footprint."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agora.checkout import shipping
from agora.core.errors import AgoraError
from agora.sellercenter.access import seller_page
from agora.sellercenter.feedback import add_service_error
from agora.sellercenter.views.common import INVALID, page
from agora.sustainability.delivery.calc import LegPlan
from agora.sustainability.delivery.selectors import method_legs
from agora.sustainability.delivery.services import method_legs_set
from agora.sustainability.factors import load_factors

SECTION = "sustainability"
ROWS = 3


class LegsForm(forms.Form):
    """Up to three legs; a row without a mode is left out."""

    method = forms.CharField(widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args: object, modes: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(ROWS):
            self.fields[f"mode_{i}"] = forms.ChoiceField(
                label=_("Leg %(n)s: mode") % {"n": i + 1},
                choices=[("", "—"), *modes],
                required=i == 0,
            )
            self.fields[f"share_{i}"] = forms.DecimalField(
                label=_("Share of the distance"),
                required=False,
                min_value=Decimal("0.01"),
                max_value=Decimal(1),
                decimal_places=2,
                help_text=gettext_lazy("0 to 1; the shares of legs without a distance add to 1"),
            )
            self.fields[f"distance_{i}"] = forms.DecimalField(
                label=_("or its distance in km"),
                required=False,
                min_value=Decimal("0.001"),
                decimal_places=3,
            )

    def legs(self) -> list[LegPlan]:
        data, out = self.cleaned_data, []
        for i in range(ROWS):
            if data.get(f"mode_{i}"):
                share = data.get(f"share_{i}")
                out.append(
                    LegPlan(
                        data[f"mode_{i}"],
                        Decimal(1) if share is None else share,
                        data.get(f"distance_{i}"),
                    )
                )
        return out


def _rows(seller: object, modes: list[tuple[str, str]]) -> list[dict[str, object]]:
    methods = [
        m for zone in shipping.zone_list_for_seller(seller=seller) for m in zone.methods.all()
    ]  # type: ignore[arg-type]
    legs = method_legs((m.public_id, m.name, m.carrier_code) for m in methods)
    rows = []
    for m in methods:
        current = legs[m.public_id]
        initial: dict[str, object] = {"method": m.public_id}
        for i, leg in enumerate(current.legs[:ROWS]):
            initial[f"mode_{i}"], initial[f"share_{i}"] = leg.mode, leg.share
            initial[f"distance_{i}"] = leg.distance_km
        rows.append(
            {
                "method": m,
                "legs": current,
                "form": LegsForm(initial=initial, modes=modes, prefix=m.public_id),
            }
        )
    return rows


@seller_page("orders:read")
@require_http_methods(["GET", "POST"])
def delivery_modes(request: HttpRequest) -> HttpResponse:
    desk = request.desk  # type: ignore[attr-defined]
    modes = [(f.mode, f.label) for f in load_factors().values()]
    rows = _rows(desk.seller, modes)
    status = 200
    if request.method == "POST":
        target = request.POST.get("target", "")
        row = next((r for r in rows if r["method"].public_id == target), None)  # type: ignore[attr-defined]
        if row is None:
            messages.error(request, _("That shipping method is not yours or no longer exists."))
            return redirect("sellercenter:delivery_modes")
        form = LegsForm(request.POST, modes=modes, prefix=target)
        row["form"] = form
        status = INVALID
        if form.is_valid():
            try:
                method_legs_set(actor=desk.actor, method=row["method"], legs=form.legs())
            except AgoraError as exc:
                add_service_error(form, exc, _field_map())
            else:
                messages.success(
                    request,
                    _("The legs of %(method)s are saved.") % {"method": row["method"].name},  # type: ignore[attr-defined]
                )
                return redirect("sellercenter:delivery_modes")
    return page(
        request,
        "sellercenter/delivery_modes.html",
        _("Delivery modes"),
        SECTION,
        {"rows": rows, "factors": list(load_factors().values())},
        status=status,
    )


def _field_map() -> dict[str, str]:
    """The service names legs as ``legs[i].mode``; the form's fields are ``mode_i``."""
    out: dict[str, str] = {}
    for i in range(ROWS):
        out[f"legs[{i}].mode"] = f"mode_{i}"
        out[f"legs[{i}].share"] = f"share_{i}"
        out[f"legs[{i}].distance_km"] = f"distance_{i}"
    return out
