"""The consent form: one checkbox per asked purpose, with the text version it was shown."""

from __future__ import annotations

from typing import Any

from django import forms

from agora.privacy.purposes import ASKED, PURPOSES


class ConsentForm(forms.Form):
    def __init__(self, *args: Any, granted: dict[str, bool] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        granted = granted or {}
        for code in ASKED:
            purpose = PURPOSES[code]
            self.fields[code] = forms.BooleanField(
                label=purpose.title,
                help_text=purpose.text,
                required=False,
                initial=granted.get(code, False),
            )
            self.fields[f"{code}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=purpose.version
            )

    def choices(self) -> dict[str, bool]:
        return {code: bool(self.cleaned_data.get(code)) for code in ASKED}

    def versions(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"{code}_version"] for code in ASKED}

    def purpose_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[code], self[f"{code}_version"]) for code in ASKED]
