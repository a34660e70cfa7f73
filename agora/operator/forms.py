"""The operator pages' forms: each error names the field, the value and what would be accepted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core import clock

MAX_DAYS = 366 * 3  # a day-by-day table longer than that is no longer readable


class SalesForm(forms.Form):
    """The report's range (UTC days, inclusive), grouping and currency; read from GET."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")},
    )
    granularity = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        choices=[("day", gettext_lazy("day")), ("week", gettext_lazy("week (Monday first)"))],
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=[])

    def __init__(self, data: Any = None, *, currencies: list[str]) -> None:
        today = clock.now().date()
        initial = {
            "start": today - dt.timedelta(days=29),
            "end": today,
            "granularity": "day",
            "currency": "EUR" if "EUR" in currencies or not currencies else currencies[0],
        }
        # An empty query string means "the defaults"; a partial one is filled from them.
        if data is not None and any(data.get(name) for name in initial):
            data = {name: data.get(name) or value for name, value in initial.items()}
        else:
            data = initial
        super().__init__(data)
        self.fields["currency"].choices = [(c, c) for c in (currencies or ["EUR"])]
        self.fields["currency"].error_messages["invalid_choice"] = _(
            "No orders were placed in %(value)s; choose one of: "
        ) + ", ".join(currencies or ["EUR"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error(
                    "end",
                    _("%(end)s is before the start date %(start)s.")
                    % {"end": end.isoformat(), "start": start.isoformat()},
                )
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "end",
                    _("The range is %(days)d days; at most %(max)d days can be shown.")
                    % {"days": (end - start).days + 1, "max": MAX_DAYS},
                )
        return data


class DecisionForm(forms.Form):
    """One decision on one application: approve (verify and activate) or reject with a reason
    the applicant is shown."""

    seller = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("verify", "verify"), ("reject", "reject")]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        error_messages={
            "max_length": gettext_lazy(
                "The reason is %(show_value)d characters long; at most %(limit_value)d are kept."
            )
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the application is rejected; the seller sees it."))
        return data


class ReinstateForm(forms.Form):
    seller = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"size": 30}),
    )
