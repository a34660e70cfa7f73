"""Label rules computed from a product's data (pure: plain data in, a verdict with figures out).

A rule-based label carries the figures it was computed from, so the evidence page can show the
sum a buyer could redo by hand; the scheduled sweep recomputes it and withdraws the label when
it stops holding (the seller changed the passport).

- ``recycled_content_50``: the share-weighted recycled content of the passport's materials is at
  least 50 % (sum of share x recycled over the sum of shares). Materials without a share make
  the rule unusable rather than guessed.
- ``repairable_7y``: spare parts are available for at least 7 years and the passport says how
  to get the product repaired (a text or a repair guide URL). Seven years is the platform's own
  threshold, chosen as the low end of the 7-10 year spare-part periods that the EU ecodesign
  regulations of 2019 set for household appliances.
- ``low_carbon_delivery_80``: of the product's deliveries with a recorded footprint in the last
  :data:`DELIVERY_WINDOW_DAYS` days, at least 80 % were low-carbon (the dashboard's definition:
  all legs by rail or sea, a pick-up point, or at most 0.1 kg CO2e), over at least
  :data:`MIN_DELIVERIES` deliveries so that a handful of parcels cannot earn it. Both numbers are
  the platform's own thresholds, stated on the evidence page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

RECYCLED_MIN_PERCENT = Decimal(50)
SPARE_PARTS_MIN_YEARS = 7
LOW_CARBON_MIN_PERCENT = Decimal(80)
MIN_DELIVERIES = 10
DELIVERY_WINDOW_DAYS = 180


@dataclass(frozen=True)
class RuleResult:
    holds: bool
    summary: str  # English, for logs and the API; pages render from ``figures``
    figures: dict[str, Any] = field(default_factory=dict)


def recycled_content(facts: Mapping[str, Any]) -> RuleResult:
    materials = list(facts.get("materials") or [])
    if not materials:
        return RuleResult(False, "the passport lists no materials", {"materials": []})
    rows, total_share, recycled = [], Decimal(0), Decimal(0)
    for m in materials:
        try:
            share = Decimal(str(m["share_percent"]))
            rec = Decimal(str(m.get("recycled_percent") or 0))
        except (KeyError, ArithmeticError, ValueError):
            return RuleResult(False, f"material {m.get('name', '?')!r} has no usable share", {})
        rows.append({"name": str(m.get("name", "")), "share_percent": str(share),
                     "recycled_percent": str(rec)})  # fmt: skip
        total_share += share
        recycled += share * rec / 100
    if total_share <= 0:
        return RuleResult(False, "the material shares add up to zero", {"materials": rows})
    percent = (recycled * 100 / total_share).quantize(Decimal("0.1"))
    figures = {
        "materials": rows,
        "recycled_percent": str(percent),
        "threshold_percent": str(RECYCLED_MIN_PERCENT),
    }
    holds = percent >= RECYCLED_MIN_PERCENT
    verb = "meets" if holds else "is below"
    return RuleResult(
        holds,
        f"recycled content {percent} % {verb} the {RECYCLED_MIN_PERCENT} % threshold",
        figures,
    )


def repairable(facts: Mapping[str, Any]) -> RuleResult:
    years = facts.get("spare_parts_years")
    has_guide = bool((facts.get("repair_text") or "").strip() or (facts.get("repair_url") or ""))
    figures = {
        "spare_parts_years": years,
        "threshold_years": SPARE_PARTS_MIN_YEARS,
        "repair_information": has_guide,
    }
    if years is None:
        return RuleResult(False, "the passport does not say how long spare parts are available",
                          figures)  # fmt: skip
    if not has_guide:
        return RuleResult(False, "the passport gives no repair information", figures)
    holds = int(years) >= SPARE_PARTS_MIN_YEARS
    verb = "meets" if holds else "is below"
    return RuleResult(
        holds, f"spare parts for {years} years {verb} the {SPARE_PARTS_MIN_YEARS}-year threshold",
        figures,
    )  # fmt: skip


def low_carbon_delivery(facts: Mapping[str, Any]) -> RuleResult:
    seen = facts.get("deliveries") or {}
    count, low = int(seen.get("count") or 0), int(seen.get("low_carbon") or 0)
    percent = (Decimal(low) * 100 / count).quantize(Decimal("0.1")) if count else Decimal(0)
    figures = {
        "deliveries": count,
        "low_carbon": low,
        "low_carbon_percent": str(percent),
        "threshold_percent": str(LOW_CARBON_MIN_PERCENT),
        "min_deliveries": MIN_DELIVERIES,
        "window_days": DELIVERY_WINDOW_DAYS,
    }
    if count < MIN_DELIVERIES:
        return RuleResult(
            False,
            f"{count} deliveries with a recorded footprint in {DELIVERY_WINDOW_DAYS} days; "
            f"the rule needs at least {MIN_DELIVERIES}",
            figures,
        )
    holds = percent >= LOW_CARBON_MIN_PERCENT
    verb = "meets" if holds else "is below"
    return RuleResult(
        holds,
        f"{low} of {count} deliveries low-carbon ({percent} %) {verb} the "
        f"{LOW_CARBON_MIN_PERCENT} % threshold",
        figures,
    )


# rule code -> (label kind it supports, function)
RULES: dict[str, tuple[str, Callable[[Mapping[str, Any]], RuleResult]]] = {
    "recycled_content_50": ("recycled_content", recycled_content),
    "repairable_7y": ("repairable", repairable),
    "low_carbon_delivery_80": ("low_carbon_delivery", low_carbon_delivery),
}
RULE_FOR_KIND = {kind: code for code, (kind, _) in RULES.items()}


def evaluate(rule: str, facts: Mapping[str, Any]) -> RuleResult:
    """Runs ``rule`` over the product's facts; an unknown rule never holds."""
    entry = RULES.get(rule)
    if entry is None:
        return RuleResult(False, f"unknown rule {rule!r}")
    return entry[1](facts)
