"""Stock forms: receive goods, adjust on hand with a reason, low-stock threshold, new location."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.inventory.models import StockLocation
from agora.inventory.services import MAX_MOVEMENT
from agora.sellercenter.forms.common import country_choices

ADJUST_REASONS = [
    ("stock count", _("Stock count")),
    ("damaged", _("Damaged")),
    ("lost", _("Lost or stolen")),
    ("found", _("Found")),
    ("other", _("Other (say why below)")),
]


class _AtLocation(forms.Form):
    location = forms.ChoiceField(label=_("Location"), choices=())

    def __init__(self, *args: Any, locations: list[StockLocation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.public_id, loc.name) for loc in locations]  # type: ignore[attr-defined]
        self.locations = {loc.public_id: loc for loc in locations}

    def clean_location(self) -> StockLocation:
        return self.locations[self.cleaned_data["location"]]


class ReceiveForm(_AtLocation):
    quantity = forms.IntegerField(label=_("Units received"), min_value=1, max_value=MAX_MOVEMENT)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("e.g. delivery note")
    )


class AdjustForm(_AtLocation):
    quantity = forms.IntegerField(
        label=_("Change in units"),
        min_value=-MAX_MOVEMENT,
        max_value=MAX_MOVEMENT,
        help_text=_("Negative to remove units, positive to add."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ADJUST_REASONS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if quantity == 0:
            raise forms.ValidationError(
                _("Zero changes nothing; give a positive or negative number.")
            )
        return quantity

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("reason") == "other" and not data.get("note", "").strip():
            self.add_error("note", _("Say why the stock changed."))
        return data

    def reason_text(self) -> str:
        reason, note = self.cleaned_data["reason"], self.cleaned_data.get("note", "").strip()
        if reason == "other":
            return note
        return f"{reason}: {note}" if note else reason


class ThresholdForm(forms.Form):
    low_stock_threshold = forms.IntegerField(
        label=_("Low-stock threshold"),
        min_value=0,
        max_value=MAX_MOVEMENT,
        help_text=_("Marked low when fewer units are available; 0 turns the mark off."),
    )


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=StockLocation.Kind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=())
    city = forms.CharField(label=_("City"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
