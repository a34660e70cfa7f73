"""The table of retention rules and the periods in force.

The rules are data: each app's :class:`~agora.core.retention.RetentionRule` list, gathered from
the ``privacy.retention_rules`` extension point. ``settings.AGORA_RETENTION`` overrides the
period of any kind that has one (``{"accounts.security_events": 180}``); a value that is not a
positive whole number of days, names an unknown or a kept kind, or is shorter than the owning
app can work with is refused at start-up by a system check (:mod:`.checks`) and by the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from agora.core.extension_points import retention_rules as retention_point
from agora.core.retention import Action, RetentionRule


def own_rules() -> list[RetentionRule]:
    """Privacy's own kind: the consent history is proof, and proof is kept."""
    return [
        RetentionRule(
            kind="privacy.consent_records",
            model="privacy.ConsentRecord",
            age_field="created_at",
            days=None,
            action=Action.KEEP,
            title=_("Your consent decisions (what you agreed to, when, to which text)"),
            counted_from="",
            reason=_(
                "Proof that we asked and what you answered (GDPR Art. 7(1)); a withdrawal is "
                "recorded beside the consent, never instead of it."
            ),
        ),
    ]


def all_rules() -> list[RetentionRule]:
    """Every registered rule, in registration order (the order the sweep applies them)."""
    rules: list[RetentionRule] = []
    for provide in retention_point.implementations():
        rules.extend(provide())
    return rules


@dataclass(frozen=True)
class Problem:
    id: str
    msg: str
    hint: str
    kind: str = ""  # the AGORA_RETENTION entry at fault, if one is


def setting_problems(rules: list[RetentionRule] | None = None) -> list[Problem]:
    """What is wrong with ``AGORA_RETENTION`` (and with the rules themselves), each naming the
    kind, the value and what would be accepted."""
    rules = all_rules() if rules is None else rules
    found: list[Problem] = []
    by_kind: dict[str, RetentionRule] = {}
    for rule in rules:
        if rule.kind in by_kind:
            found.append(
                Problem(
                    "privacy.E006",
                    f"two retention rules declare the kind {rule.kind!r}",
                    "Each kind is declared once, by the app that owns it.",
                )
            )
        by_kind[rule.kind] = rule
    setting = getattr(settings, "AGORA_RETENTION", {})
    if not isinstance(setting, dict):
        return [
            *found,
            Problem(
                "privacy.E001",
                f"AGORA_RETENTION must be a dict of kind -> days, not {type(setting).__name__}",
                "e.g. AGORA_RETENTION = {'accounts.security_events': 180}",
            ),
        ]
    periodic = sorted(k for k, r in by_kind.items() if r.action is not Action.KEEP)
    for kind, days in setting.items():
        rule = by_kind.get(kind)
        if rule is None:
            found.append(
                Problem(
                    "privacy.E002",
                    f"AGORA_RETENTION names an unknown kind {kind!r}",
                    f"Known kinds with a period: {', '.join(periodic)}.",
                    kind=kind,
                )
            )
        elif rule.action is Action.KEEP:
            found.append(
                Problem(
                    "privacy.E003",
                    f"AGORA_RETENTION sets {days!r} days for {kind!r}, which is kept, not expired",
                    f"Remove {kind!r}: {rule.reason}",
                    kind=kind,
                )
            )
        elif isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            found.append(
                Problem(
                    "privacy.E004",
                    f"AGORA_RETENTION[{kind!r}] is {days!r}: the period must be a positive whole "
                    "number of days",
                    f"The default is {rule.days}.",
                    kind=kind,
                )
            )
        elif days < rule.minimum_days:
            found.append(
                Problem(
                    "privacy.E005",
                    f"AGORA_RETENTION[{kind!r}] is {days} days, shorter than the "
                    f"{rule.minimum_days} days {rule.model} must be kept to work",
                    f"Use at least {rule.minimum_days} (the default is {rule.days}).",
                    kind=kind,
                )
            )
    return found


def periods(rules: list[RetentionRule] | None = None, *, strict: bool = True) -> dict[str, int]:
    """The period in force per kind that has one. ``strict`` refuses a bad setting (the sweep
    must not run on a misread period); otherwise bad entries fall back to the default (pages)."""
    rules = all_rules() if rules is None else rules
    problems = setting_problems(rules)
    if problems and strict:
        raise ImproperlyConfigured("; ".join(p.msg for p in problems))
    bad = {p.kind for p in problems}
    chosen = {k: v for k, v in _setting().items() if k not in bad}
    return {
        rule.kind: chosen.get(rule.kind, rule.days)
        for rule in rules
        if rule.action is not Action.KEEP and rule.days is not None
    }


def _setting() -> dict[str, Any]:
    setting = getattr(settings, "AGORA_RETENTION", {})
    return setting if isinstance(setting, dict) else {}


@dataclass(frozen=True)
class Row:
    """One line of "How long we keep what"."""

    kind: str
    model: str
    age_field: str
    days: int | None
    default_days: int | None
    action: str
    title: Any
    counted_from: Any
    reason: Any


def table() -> list[Row]:
    """The rules with the periods in force, for the privacy page and ``agora retention``."""
    rules = all_rules()
    days = periods(rules, strict=False)
    return [
        Row(
            kind=rule.kind,
            model=rule.model,
            age_field=rule.age_field,
            days=days.get(rule.kind),
            default_days=rule.days,
            action=str(rule.action),
            title=rule.title,
            counted_from=rule.counted_from,
            reason=rule.reason,
        )
        for rule in rules
    ]
