"""Product and variant forms: text in English and Simplified Chinese (per-field translations),
category, attributes typed by their definition, and a variant with its price."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from agora.catalog.models import Attribute, Category, Product
from agora.catalog.services import MAX_WEIGHT_GRAMS
from agora.sellercenter.forms.common import clean_currency, minor_units, parse_options

ZH = "zh-hans"
STATUS_CHOICES = [("", _("All")), *Product.Status.choices]


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)


def _attribute_field(attribute: Attribute) -> forms.Field:
    label = attribute.name + (f" ({attribute.unit})" if attribute.unit else "")
    kind = attribute.value_type
    if kind == Attribute.ValueType.NUMBER:
        return forms.DecimalField(label=label, required=False, max_digits=18, decimal_places=6)
    if kind == Attribute.ValueType.BOOLEAN:
        return forms.NullBooleanField(label=label, required=False)
    if kind == Attribute.ValueType.CHOICE:
        choices = [("", "—")] + [(c, c) for c in attribute.choices]
        return forms.ChoiceField(label=label, required=False, choices=choices)
    return forms.CharField(label=label, required=False, max_length=200)


class ProductForm(forms.Form):
    """The product's own fields; attribute fields are added per defined attribute."""

    title = forms.CharField(label=_("Title (English)"), max_length=300)
    title_zh = forms.CharField(
        label=_("Title (Simplified Chinese)"), max_length=300, required=False
    )
    description = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_zh = forms.CharField(
        label=_("Description (Simplified Chinese)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")  # type: ignore[attr-defined]
        self.attributes = list(Attribute.objects.order_by("code"))
        for attribute in self.attributes:
            self.fields[f"attr_{attribute.code}"] = _attribute_field(attribute)

    @classmethod
    def initial_for(cls, product: Product) -> dict[str, Any]:
        zh = (product.translations or {}).get(ZH, {})
        initial: dict[str, Any] = {
            "title": product.title,
            "description": product.description,
            "title_zh": zh.get("title", ""),
            "description_zh": zh.get("description", ""),
            "category": product.category.public_id if product.category else None,
        }
        for code, value in (product.attributes or {}).items():
            initial[f"attr_{code}"] = value
        return initial

    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[f"attr_{a.code}"] for a in self.attributes]

    def translations(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        """The product's translations with the Chinese fields from the form (blank removes)."""
        merged = {lang: dict(fields) for lang, fields in (existing or {}).items()}
        zh = merged.setdefault(ZH, {})
        for name in ("title", "description"):
            text = self.cleaned_data.get(f"{name}_zh", "").strip()
            if text:
                zh[name] = text
            else:
                zh.pop(name, None)
        return {lang: fields for lang, fields in merged.items() if fields}

    def attribute_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for attribute in self.attributes:
            value = self.cleaned_data.get(f"attr_{attribute.code}")
            if value in (None, ""):
                continue
            if attribute.value_type == Attribute.ValueType.NUMBER:
                value = int(value) if value == value.to_integral_value() else float(value)
            values[attribute.code] = value
        return values


class VariantForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    gtin = forms.CharField(
        label=_("GTIN"), max_length=14, required=False, help_text=_("EAN/UPC barcode, optional")
    )
    variant_title = forms.CharField(label=_("Variant name"), max_length=200, required=False)
    variant_title_zh = forms.CharField(
        label=_("Variant name (Simplified Chinese)"), max_length=200, required=False
    )
    options = forms.CharField(
        label=_("Options"), required=False, help_text=_("e.g. size=M; colour=red"), max_length=500
    )
    weight_grams = forms.IntegerField(
        label=_("Weight (grams)"), required=False, min_value=0, max_value=MAX_WEIGHT_GRAMS
    )
    price = forms.DecimalField(
        label=_("Price"), required=False, min_value=0, help_text=_("e.g. 12.99")
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)

    def clean_gtin(self) -> str:
        gtin = self.cleaned_data["gtin"].strip()
        if gtin:
            try:
                return ean.validate(gtin)
            except StdnumError as exc:
                raise forms.ValidationError(
                    _("%(value)s is not a valid GTIN: check the digits and the check digit."),
                    params={"value": gtin},
                ) from exc
        return gtin

    def clean_options(self) -> dict[str, str]:
        return parse_options(self.cleaned_data["options"])

    def clean(self) -> dict:
        data = super().clean() or {}
        price, currency = data.get("price"), (data.get("currency") or "").strip()
        if price is not None and not currency:
            self.add_error("currency", _("Give the currency of the price."))
        elif currency:
            try:
                data["currency"] = clean_currency(currency)
                if price is not None:
                    data["price_minor"] = minor_units(price, data["currency"])
            except forms.ValidationError as exc:
                self.add_error("price" if price is not None else "currency", exc)
        return data


class ProductCreateForm(ProductForm, VariantForm):
    """A new product with its first variant (more variants are added on its page)."""

    def clean(self) -> dict:
        return VariantForm.clean(self)


class MediaForm(forms.Form):
    image = forms.ImageField(label=_("Image"), help_text=_("JPEG, PNG, WebP or GIF, up to 10 MB"))
    alt = forms.CharField(
        label=_("Description of the image (English)"), max_length=300, required=True
    )
    alt_zh = forms.CharField(
        label=_("Description of the image (Simplified Chinese)"), max_length=300, required=False
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma- or semicolon-separated"))
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only"),
        required=False,
        help_text=_(
            "Without this, a file with any bad row imports nothing. With it, products whose rows "
            "are all valid are imported and the others are reported."
        ),
    )
