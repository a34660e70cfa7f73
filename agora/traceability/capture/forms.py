"""Seller-center forms of traceability: upload an EPCIS file, record a batch, print labels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.catalog.models import Variant
from agora.traceability.capture.services import MAX_DOCUMENT_BYTES

MAX_LABEL_SERIALS = 500


class _VariantForm(forms.Form):
    variant = forms.ChoiceField(label=_("Variant"), choices=())

    def __init__(self, *args: Any, variants: list[Variant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variants = {v.public_id: v for v in variants}
        self.fields["variant"].choices = [  # type: ignore[attr-defined]
            (v.public_id, f"{v.product.title} — {v.sku} (GTIN {v.gtin})") for v in variants
        ]

    def clean_variant(self) -> Variant:
        return self.variants[self.cleaned_data["variant"]]


class EpcisUploadForm(forms.Form):
    file = forms.FileField(
        label=_("EPCIS 2.0 file"),
        help_text=_("An EPCISDocument in JSON or JSON-LD, at most 10 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; at most %(limit)s are accepted."),
                params={"size": f"{upload.size:,}", "limit": f"{MAX_DOCUMENT_BYTES:,}"},
            )
        return upload


class BatchForm(_VariantForm):
    lot = forms.CharField(
        label=_("Lot code"),
        max_length=20,
        help_text=_("As printed on the goods (GS1 AI 10): up to 20 letters, digits or - . /"),
    )
    quantity = forms.IntegerField(label=_("Units made"), min_value=1, max_value=10_000_000)
    produced_on = forms.DateField(
        label=_("Production date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_(
            "Where it was made: a GLN (13 digits), a web address or a country code such as PT. "
            "Blank: your shop."
        ),
    )
    company_prefix = forms.RegexField(
        label=_("GS1 company prefix"),
        regex=r"^\d{6,12}$",
        required=False,
        help_text=_("6 to 12 digits from your GS1 licence; blank assumes 7 digits."),
    )


class LabelForm(_VariantForm):
    serials = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line; one label each."),
    )
    lot = forms.CharField(label=_("Lot code"), max_length=20, required=False)
    copies = forms.IntegerField(
        label=_("Labels for the lot or product"),
        min_value=1,
        max_value=MAX_LABEL_SERIALS,
        initial=1,
        required=False,
        help_text=_("Used when no serial numbers are given."),
    )
    register = forms.BooleanField(
        label=_("Also register these serial numbers"),
        required=False,
        help_text=_("So that each label's Digital Link opens that item's own passport."),
    )

    def clean_serials(self) -> list[str]:
        serials = [s.strip() for s in self.cleaned_data["serials"].splitlines() if s.strip()]
        if len(serials) > MAX_LABEL_SERIALS:
            raise forms.ValidationError(
                _("At most %(n)s serial numbers per sheet."), params={"n": MAX_LABEL_SERIALS}
            )
        if len(set(serials)) != len(serials):
            raise forms.ValidationError(_("A serial number is given twice."))
        bad = [s for s in serials if len(s) > 20]
        if bad:
            raise forms.ValidationError(
                _("%(serial)s is longer than 20 characters."), params={"serial": bad[0]}
            )
        return serials
