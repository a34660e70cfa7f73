"""The inspection form's checklist and the parsing of a posted inspection, shared by the operator
console and the seller center (the API takes the same data as JSON).

The services accept any checklist item names; the pages offer this **fixed list** (our
inspection policy, one line per thing an inspector must look at before grading). Each item is
marked pass, fail or "not checked" (left out); at least one must be checked (the service says so
otherwise). Photos are https links, one per line; the price override is in major units of the
request's currency (``12.50``) and empty means "take the suggestion".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from agora.circular.resale.pricing import GRADES
from agora.core.errors import VALIDATION, AgoraError, invalid
from agora.core.money import Money, MoneyError

# code -> label: what is checked on every unit, in the order it is checked.
CHECKLIST: dict[str, Any] = {
    "identity": _("Matches the purchase (product, GTIN or serial)"),
    "complete": _("Complete: parts, accessories and manual present"),
    "function": _("Works: powered on and every function tried"),
    "cosmetic": _("Cosmetic condition: scratches, dents and stains match the grade"),
    "safety": _("Safe: no damaged cable, swollen battery or sharp edge"),
    "clean": _("Cleaned, and personal data wiped where it can hold any"),
}
RESULTS = ("pass", "fail")


def checklist_rows(checklist: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The fixed items with the result and note already given (posted or recorded), for the
    form; items recorded outside the fixed list (through the API) are shown too."""
    given = dict(checklist or {})
    rows = []
    for code in [*CHECKLIST, *(c for c in given if c not in CHECKLIST)]:
        entry = given.get(code) or {}
        if isinstance(entry, str):
            entry = {"result": entry, "note": ""}
        rows.append(
            {
                "code": code,
                "label": CHECKLIST.get(code, code),
                "result": entry.get("result", ""),
                "note": entry.get("note", ""),
            }
        )
    return rows


def posted_checklist(data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``check_<code>`` (pass / fail / empty) and ``note_<code>`` fields to the services'
    ``{code: {result, note}}``; unchecked items are left out, unknown results passed on for the
    service to refuse by name."""
    checks: dict[str, dict[str, str]] = {}
    for code in CHECKLIST:
        result = (data.get(f"check_{code}") or "").strip()
        if result:
            checks[code] = {"result": result, "note": (data.get(f"note_{code}") or "").strip()}
    return checks


def posted_photos(data: Mapping[str, Any]) -> list[str]:
    return [line.strip() for line in (data.get("photos") or "").splitlines() if line.strip()]


def posted_price(data: Mapping[str, Any], currency: str) -> int | None:
    """The price override in minor units, or None when left empty; a non-number is refused
    naming the value."""
    value = (data.get("price") or "").strip()
    if not value:
        return None
    try:
        return Money.from_decimal(value, currency).amount_minor
    except (MoneyError, InvalidOperation, ValueError):
        raise invalid("price", f"{value!r} is not an amount in {currency} like 12.50") from None


def posted_inspection(data: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """The keyword arguments of ``resale_inspect`` from a posted form (the grade is checked by
    the service, so a tampered "D" gets the service's message)."""
    return {
        "grade": (data.get("grade") or "").strip(),
        "checklist": posted_checklist(data),
        "photos": posted_photos(data),
        "price_minor": posted_price(data, currency),
    }


def form_state(data: Mapping[str, Any] | None, request: Any) -> dict[str, Any]:
    """What the inspection form shows: the posted values after a refusal (kept), else the
    recorded inspection (a re-inspection starts from it)."""
    if data is not None:
        return {
            "grade": data.get("grade", ""),
            "checks": checklist_rows(posted_checklist(data)),
            "photos": data.get("photos", ""),
            "price": data.get("price", ""),
            "reason": data.get("reason", ""),
        }
    price = ""
    if request.price_minor and request.price_minor != request.suggested_price_minor:
        price = str(Money(request.price_minor, request.currency).amount)
    return {
        "grade": request.grade,
        "checks": checklist_rows(request.checklist),
        "photos": "\n".join(request.photos or []),
        "price": price,
        "reason": "",
    }


__all__ = ["CHECKLIST", "GRADES", "RESULTS", "form_state", "posted_inspection"]


def posted_step(*, actor: Any, item: Any, data: Mapping[str, Any], rejected: str) -> str:
    """Runs the step a console or seller-center form posted (``action``: inspect, reject or
    list) through the resale services; returns the success message (``rejected`` for a
    rejection, which each page words for its reader). AgoraError when refused."""
    from agora.circular.resale import services

    action = str(data.get("action", ""))
    if action == "inspect":
        item = services.resale_inspect(
            actor=actor, request=item, **posted_inspection(data, item.currency)
        )
        return _("Inspected %(id)s: grade %(grade)s, %(months)s months warranty.") % {
            "id": item.public_id,
            "grade": item.grade,
            "months": item.warranty_months,
        }
    if action == "reject":
        item = services.resale_reject(actor=actor, request=item, reason=data.get("reason", ""))
        return rejected % {"id": item.public_id}
    if action == "list":
        item = services.resale_list(actor=actor, request=item)
        return _("Listed %(id)s as product %(product)s.") % {
            "id": item.public_id,
            "product": item.product.public_id if item.product else "",
        }
    raise AgoraError(VALIDATION, _('There is no step "%(action)s".') % {"action": action[:20]})
