"""Retention rules: how long each kind of data is kept, declared by the app that owns it.

GDPR Art. 5(1)(e) (storage limitation) asks that personal data be kept no longer than its
purpose needs. Only the owning app knows which of its rows are finished with and what "gone"
means for them (deleted, or cut loose from the person), so each app declares
:class:`RetentionRule`\\ s and registers them through the ``privacy.retention_rules`` extension
point (:mod:`agora.core.extension_points`). The privacy app's daily sweep reads the periods
from the settings and calls :meth:`RetentionRule.due` and :meth:`RetentionRule.apply`; it never
imports another app's models, and commerce never imports privacy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.db.models import QuerySet


class Action(StrEnum):
    DELETE = "delete"
    # The rows stay (the law or the books need them) without what ties them to a person.
    PSEUDONYMISE = "pseudonymise"
    # No period: the rows are kept for the reason given (proof, accountability).
    KEEP = "keep"


@dataclass(frozen=True)
class RetentionRule:
    """One kind of data and what happens to it once ``days`` have passed since ``age_field``.

    ``rows`` narrows the model to the rows the rule covers (e.g. only guests' open carts, only
    orders not yet pseudonymised, so a second run finds nothing); ``age_value`` turns the cutoff
    into what ``age_field`` holds when it is not a datetime (a date, Unix seconds). ``min_days``
    is the shortest period the owning app still works with; a setting below it is refused.
    """

    kind: str  # "<app>.<what>", the key of AGORA_RETENTION
    model: str  # "app_label.Model"
    age_field: str
    days: int | None  # the platform's default period; None when kept
    action: Action
    title: Any  # what it is, for people (lazy translation)
    counted_from: Any  # from when the period runs, e.g. "from the last change"
    reason: Any  # why this period, one line
    rows: Callable[[], QuerySet] | None = None
    pseudonymise: Callable[[QuerySet], int] | None = None
    age_value: Callable[[datetime], object] | None = None
    min_days: int | Callable[[], int] = 1

    def __post_init__(self) -> None:
        if (self.action is Action.KEEP) != (self.days is None):
            raise ValueError(f"retention rule {self.kind}: a period is given unless kept")
        if self.action is Action.PSEUDONYMISE and self.pseudonymise is None:
            raise ValueError(f"retention rule {self.kind}: pseudonymise needs its function")

    @property
    def minimum_days(self) -> int:
        return self.min_days() if callable(self.min_days) else self.min_days

    def queryset(self) -> QuerySet:
        if self.rows is not None:
            return self.rows()
        return apps.get_model(self.model)._base_manager.all()

    def due(self, cutoff: datetime) -> QuerySet:
        """The covered rows whose age field is before ``cutoff`` (none for a kept kind)."""
        if self.action is Action.KEEP:
            return self.queryset().none()
        value = self.age_value(cutoff) if self.age_value else cutoff
        return self.queryset().filter(**{f"{self.age_field}__lt": value})

    def apply(self, rows: QuerySet) -> int:
        """Deletes or pseudonymises ``rows`` (a slice of :meth:`due`); returns how many of the
        rule's own rows it changed (cascaded rows of other tables are not counted)."""
        if self.action is Action.DELETE:
            _, per_model = rows.delete()
            return per_model.get(rows.model._meta.label, 0)
        if self.action is Action.PSEUDONYMISE:
            assert self.pseudonymise is not None
            return self.pseudonymise(rows)
        return 0


def _orphan_persons() -> QuerySet:
    """Vault persons nothing refers to any more: a guest whose checkouts and orders were
    deleted or pseudonymised by their own rules. Found through every relation to ``Person``,
    so core needs to know none of the apps that point at it."""
    person_model = apps.get_model("core", "Person")
    rows = person_model._base_manager.all()
    for relation in person_model._meta.related_objects:
        rows = rows.filter(**{f"{relation.name}__isnull": True})
    return rows


def retention_rules() -> list[RetentionRule]:
    """The kernel's own kinds: dispatched events go, orphaned vault persons go, the audit log
    stays."""
    from django.utils.translation import gettext_lazy as _

    return [
        RetentionRule(
            kind="core.orphan_persons",
            model="core.Person",
            age_field="created_at",
            days=30,
            action=Action.DELETE,
            title=_("A guest's sealed contact details once no order or checkout needs them"),
            counted_from=_("from when they were given"),
            reason=_(
                "A guest's email and addresses are kept, encrypted, only while an order or a "
                "checkout refers to them; then the key and the data are deleted."
            ),
            rows=_orphan_persons,
        ),
        RetentionRule(
            kind="core.outbox_events",
            model="core.OutboxEvent",
            age_field="dispatched_at",
            days=30,
            action=Action.DELETE,
            title=_("Internal event records (order and account facts passed between parts)"),
            counted_from=_("from when every part has handled it"),
            reason=_(
                "Their copies of order and account facts are needed only to redo a failed "
                "step; a month is long enough to notice and repair one."
            ),
        ),
        RetentionRule(
            kind="core.audit_log",
            model="core.AuditEntry",
            age_field="at",
            days=None,
            action=Action.KEEP,
            title=_("Audit log (who changed what, when)"),
            counted_from="",
            reason=_(
                "The platform's accountability record (GDPR Art. 5(2)); it names who acted, "
                "not buyers' addresses or payment details."
            ),
        ),
    ]
