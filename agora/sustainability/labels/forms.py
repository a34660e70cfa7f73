"""Forms of the evidence page (challenge) and the seller center (label request, footprint)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.sustainability.models import GreenLabel, ProductFootprint


class ChallengeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this label?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("10 to 2000 characters. Shown to the operator who reviews labels."),
    )
    contact_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Only the operator sees it, to tell you the outcome."),
    )


class LabelRequestForm(forms.Form):
    EVIDENCE_CHOICES = [
        ("document", _("Upload the certificate (PDF or image)")),
        ("url", _("The certificate's page at the issuer, and its number")),
        ("rule", _("Compute it from the product's data (passport, deliveries)")),
    ]
    product = forms.ChoiceField(label=_("Product"))
    kind = forms.ChoiceField(label=_("Label"), choices=GreenLabel.Kind.choices)
    scheme = forms.CharField(
        label=_("Scheme or certifier"),
        required=False,
        max_length=200,
        help_text=_("Needed for organic and certified labels, e.g. “EU organic”."),
    )
    evidence = forms.ChoiceField(
        label=_("Evidence"), choices=EVIDENCE_CHOICES, widget=forms.RadioSelect
    )
    document = forms.FileField(label=_("Certificate file"), required=False)
    evidence_url = forms.URLField(label=_("Certificate URL"), required=False, max_length=500)
    evidence_number = forms.CharField(label=_("Certificate number"), required=False, max_length=120)
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for a certificate; a computed label is reviewed again each year."),
    )

    def __init__(self, *args: Any, products: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = products


class FootprintForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    basis = forms.ChoiceField(label=_("Basis"), choices=ProductFootprint.Basis.choices)
    kg_co2e = forms.DecimalField(
        label=_("kg CO₂e per unit"), required=False, min_value=0, max_digits=12, decimal_places=3
    )
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=300,
        help_text=_("The study's title, the EPD registration number or the supplier declaration."),
    )
    average_key = forms.ChoiceField(label=_("Category average"), required=False)
    functional_units = forms.DecimalField(
        label=_("Units of the average per product"),
        required=False,
        initial=1,
        max_digits=10,
        decimal_places=4,
        help_text=_("E.g. 0.1 for a 100 g tea caddy when the average is per kg of tea."),
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        products: list[tuple[str, str]],
        averages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = products
        self.fields["average_key"].choices = [("", "—"), *averages]
