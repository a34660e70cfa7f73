"""Fulfilment and returns forms: a shipment of an order's open lines, a shipment's status, and
the seller's decisions on a return."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.inventory.models import StockLocation
from agora.orders.models import Order, OrderReturn, OrderReturnLine
from agora.sellercenter.forms.common import minor_units

SHIPMENT_STATUSES = [
    ("packed", _("Packed")),
    ("shipped", _("Shipped")),
    ("in_transit", _("In transit")),
    ("out_for_delivery", _("Out for delivery")),
    ("delivered", _("Delivered")),
    ("exception", _("Carrier problem")),
    ("returned_to_sender", _("Returned to sender")),
]


class ShipmentForm(forms.Form):
    location = forms.ChoiceField(label=_("Ship from"), choices=())
    carrier = forms.ChoiceField(label=_("Carrier"), choices=(), required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64, required=False)

    def __init__(
        self,
        *args: Any,
        order: Order,
        locations: list[StockLocation],
        carriers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.public_id, loc.name) for loc in locations]  # type: ignore[attr-defined]
        self.fields["carrier"].choices = [("", _("No carrier / own delivery")), *carriers]  # type: ignore[attr-defined]
        self.locations = {loc.public_id: loc for loc in locations}
        self.open_lines = []
        for line in order.lines.all():
            left = line.quantity - line.fulfilled_quantity
            if left <= 0:
                continue
            name = f"line_{line.line_no}"
            self.fields[name] = forms.IntegerField(
                label=_("%(sku)s — %(title)s (units to ship, %(left)s open)")
                % {"sku": line.sku, "title": line.title, "left": left},
                min_value=0,
                max_value=left,
                initial=left,
            )
            self.open_lines.append((line, name))

    def line_fields(self) -> list[forms.BoundField]:
        return [self[name] for _, name in self.open_lines]

    def clean_location(self) -> StockLocation:
        return self.locations[self.cleaned_data["location"]]

    def clean(self) -> dict:
        data = super().clean() or {}
        if self.open_lines and not any(data.get(name) for _, name in self.open_lines):
            raise forms.ValidationError(_("Put at least one unit into the shipment."))
        return data

    def quantities(self) -> list[tuple[int, int]]:
        return [
            (line.line_no, self.cleaned_data[name])
            for line, name in self.open_lines
            if self.cleaned_data.get(name)
        ]


class ShipmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=SHIPMENT_STATUSES)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReturnDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        help_text=_("Required when you reject: the buyer sees it."),
    )


CONDITIONS = [("", "—"), *OrderReturnLine.Condition.choices]
DISPOSITIONS = [
    ("restock", _("Restock")),
    ("write_off", _("Write off")),
]


class ReturnReceiveForm(forms.Form):
    """One decision per line of the return: restock at a location, or write off."""

    def __init__(
        self, *args: Any, order_return: OrderReturn, locations: list[StockLocation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.locations = {loc.public_id: loc for loc in locations}
        location_choices = [("", "—"), *[(loc.public_id, loc.name) for loc in locations]]
        self.rows = []
        for row in order_return.lines.all():
            n = row.line.line_no
            label = f"{row.line.sku} × {row.quantity}"  # noqa: RUF001
            self.fields[f"disposition_{n}"] = forms.ChoiceField(
                label=_("%(line)s: what happens to the goods") % {"line": label},
                choices=DISPOSITIONS,
            )
            self.fields[f"condition_{n}"] = forms.ChoiceField(
                label=_("%(line)s: condition") % {"line": label}, choices=CONDITIONS, required=False
            )
            self.fields[f"location_{n}"] = forms.ChoiceField(
                label=_("%(line)s: restock at") % {"line": label},
                choices=location_choices,
                required=False,
            )
            self.rows.append(n)

    def line_groups(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"disposition_{n}"], self[f"condition_{n}"], self[f"location_{n}"]]
            for n in self.rows
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        for n in self.rows:
            if data.get(f"disposition_{n}") == "restock" and not data.get(f"location_{n}"):
                self.add_error(f"location_{n}", _("Choose where the goods are restocked."))
        return data

    def decisions(self) -> list[tuple[int, str, str, StockLocation | None]]:
        d = self.cleaned_data
        return [
            (
                n,
                d[f"disposition_{n}"],
                d.get(f"condition_{n}") or "",
                self.locations.get(d.get(f"location_{n}") or "")
                if d[f"disposition_{n}"] == "restock"
                else None,
            )
            for n in self.rows
        ]


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to refund"),
        required=False,
        min_value=0,
        help_text=_("Leave empty to refund the whole value of the returned goods."),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int | None:
        """The amount in minor units of the order's currency (None: the whole value)."""
        amount = self.cleaned_data["amount"]
        return None if amount is None else minor_units(amount, self.currency)


class PayoutForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=())

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(c, c) for c in currencies]  # type: ignore[attr-defined]
