"""One person's data from every app, as one JSON document and one readable HTML page.

Each app answers the ``privacy.personal_data`` extension point with a titled section (opened
from the vault where sealed); privacy adds the consent history it keeps itself. The JSON is
the portable copy (Art. 20); the page is the same data for a person to read (Art. 15)."""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string

from agora.core import clock
from agora.core.consent import subject_of_user
from agora.core.extension_points import personal_data
from agora.privacy.selectors import consent_history

FORMAT_VERSION = 1


def _consents(user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "at": r.created_at.isoformat(),
            "purpose": r.purpose,
            "granted": r.granted,
            "text_version": r.text_version,
            "method": r.method,
        }
        for r in consent_history(subject_of_user(user_id))
    ]


def export_data(user_id: int) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for answer in personal_data.implementations():
        found = answer(user_id)
        if found is not None:
            title, data = found
            sections[title] = data
    sections["Consent"] = _consents(user_id)
    return {"format": FORMAT_VERSION, "generated_at": clock.now().isoformat(), **sections}


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def export_html(data: dict[str, Any]) -> str:
    """A standalone page (no scripts, no external assets) that reads well printed."""
    sections = {k: v for k, v in data.items() if k not in ("format", "generated_at")}
    return render_to_string(
        "privacy/export.html", {"sections": sections, "generated_at": data["generated_at"]}
    )
