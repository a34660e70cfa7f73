"""The seller application form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.marketplace.vat import VatIdError, normalize_vat_id
from agora.sellercenter.forms.common import clean_currency, country_choices


class ApplyForm(forms.Form):
    display_name = forms.CharField(
        label=_("Shop name"), max_length=150, help_text=_("What buyers see.")
    )
    legal_name = forms.CharField(
        label=_("Legal name"), max_length=200, help_text=_("The registered company or person.")
    )
    country = forms.ChoiceField(label=_("Country"), choices=())
    payout_currency = forms.CharField(
        label=_("Payout currency"), max_length=3, initial="EUR", help_text=_("e.g. EUR, GBP, CNY")
    )
    vat_id = forms.CharField(
        label=_("VAT id"),
        max_length=32,
        required=False,
        help_text=_("Optional; checked against the country's format and check digits."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]

    def clean_payout_currency(self) -> str:
        return clean_currency(self.cleaned_data["payout_currency"])

    def clean(self) -> dict:
        data = super().clean() or {}
        vat_id, country = data.get("vat_id"), data.get("country")
        if vat_id and country:
            try:
                data["vat_id"] = normalize_vat_id(country, vat_id)
            except VatIdError:
                self.add_error(
                    "vat_id",
                    _("%(vat_id)s is not a valid VAT id for %(country)s.")
                    % {"vat_id": vat_id, "country": country},
                )
        return data
