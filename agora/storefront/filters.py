"""The filter and sort form of category and search pages.

A GET form: bad input (a minimum above the maximum, letters in a price, page 0) is reported next
to the field in the visitor's language and the page still lists products with the valid filters,
keeping what was typed in the boxes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.money import Money

SORTS = {
    "relevance": _("Best match"),
    "newest": _("Newest"),
    "popular": _("Most popular"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
}
PER_PAGE = 24
# Search reads at most 10 000 results deep; the last page that starts within them.
MAX_PAGE = 10_000 // PER_PAGE + 1


class BrowseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    min_price = forms.DecimalField(
        label=_("Minimum price"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    max_price = forms.DecimalField(
        label=_("Maximum price"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    seller = forms.CharField(label=_("Seller"), required=False, max_length=40)
    category = forms.CharField(label=_("Category"), required=False, max_length=40)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no "Label:" colon; Chinese wants a full-width one
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_price",
                _("The maximum price must not be lower than the minimum price (%(low)s).")
                % {"low": low},
            )
        return data

    def criteria(self, *, currency: str) -> dict[str, Any]:
        """The valid part of the input as search criteria; fields with errors are left out so
        the page still answers with what it could understand. Prices become minor units of
        ``currency`` through the one rounding point (``Money.from_decimal``)."""
        data = self.cleaned_data if self.is_bound else {}
        errors = self.errors if self.is_bound else {}

        def value(name: str) -> Any:
            return None if name in errors else data.get(name)

        low, high = value("min_price"), value("max_price")
        return {
            "q": value("q") or "",
            "min_price": Money.from_decimal(low, currency).amount_minor
            if low is not None
            else None,
            "max_price": (
                Money.from_decimal(high, currency).amount_minor if high is not None else None
            ),
            "seller": value("seller") or None,
            "category": value("category") or None,
            "in_stock": bool(value("in_stock")),
            "sort": value("sort") or "",
            "page": value("page") or 1,
        }
