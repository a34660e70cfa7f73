"""The retention sweep: once a day, every rule's rows older than its period are deleted or
pseudonymised, in batches, and the counts per kind are logged and returned.

- **Bounded**: at most ``batch`` rows per transaction and ``max_batches`` transactions per kind
  and run; what is left is done the next day (the report says how many were due).
- **Idempotent**: a row that was handled no longer matches its rule (deleted, or excluded by the
  rule as already pseudonymised), so a second run finds nothing; each batch re-applies the age
  filter when it writes, so a row touched since it was selected is left alone.
- **Safe**: the periods are read strictly (a bad ``AGORA_RETENTION`` stops the run, as it stops
  start-up); one kind's failure is logged and reported and does not stop the others.
- **Accountable**: every kind that changed rows gets one audit entry with the count and period.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.db import transaction

from agora.core import clock
from agora.core.models import AuditEntry
from agora.core.retention import Action
from agora.privacy.retention.rules import all_rules, periods

logger = logging.getLogger("agora.privacy.retention")

BATCH = 500
MAX_BATCHES = 20  # at most 10,000 rows of a kind per run


@dataclass
class KindReport:
    kind: str
    model: str
    action: str
    days: int | None
    due: int = 0  # rows past the period when the run started
    done: int = 0  # rows deleted or pseudonymised by this run (0 in a dry run)
    error: str = ""


@dataclass
class SweepReport:
    dry_run: bool
    kinds: list[KindReport] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(k.due for k in self.kinds)

    @property
    def done(self) -> int:
        return sum(k.done for k in self.kinds)

    @property
    def errors(self) -> list[str]:
        return [f"{k.kind}: {k.error}" for k in self.kinds if k.error]

    def as_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "due": self.due,
            "done": self.done,
            "kinds": [asdict(k) for k in self.kinds],
        }


def retention_sweep(
    *, dry_run: bool = False, batch: int = BATCH, max_batches: int = MAX_BATCHES
) -> SweepReport:
    """Applies every retention rule once (see the module doc); ``dry_run`` only counts."""
    if batch < 1 or max_batches < 1:
        raise ValueError(f"batch and max_batches must be at least 1, not {batch}, {max_batches}")
    rules = all_rules()
    days_by_kind = periods(rules, strict=True)
    now = clock.now()
    report = SweepReport(dry_run=dry_run)
    for rule in rules:
        days = days_by_kind.get(rule.kind)
        line = KindReport(rule.kind, rule.model, str(rule.action), days)
        report.kinds.append(line)
        if rule.action is Action.KEEP or days is None:
            continue
        due = rule.due(now - timedelta(days=days))
        try:
            line.due = due.count()
            if not dry_run:
                for _ in range(max_batches):
                    with transaction.atomic():
                        pks = list(due.order_by("pk").values_list("pk", flat=True)[:batch])
                        if pks:
                            line.done += rule.apply(due.filter(pk__in=pks))
                    if len(pks) < batch:
                        break
        except Exception as exc:  # one kind's failure must not keep the others' data longer
            logger.exception("retention: %s failed after %s rows", rule.kind, line.done)
            line.error = f"{type(exc).__name__}: {exc}"
        if line.done:
            _audit(line)
        _log(line, dry_run=dry_run)
    return report


def _log(line: KindReport, *, dry_run: bool) -> None:
    """A line per kind that had anything due (the rest only at debug level)."""
    level = logging.INFO if line.due else logging.DEBUG
    if dry_run:
        logger.log(
            level,
            "retention (dry run): %s: %s rows older than %s days would be %sd",
            line.kind,
            line.due,
            line.days,
            line.action.removesuffix("e"),
        )
    elif not line.error:  # a failure was logged above, with its traceback
        logger.log(
            level,
            "retention: %s: %s of %s rows older than %s days %sd",
            line.kind,
            line.done,
            line.due,
            line.days,
            line.action.removesuffix("e"),
        )


def _audit(line: KindReport) -> None:
    AuditEntry.objects.create(
        at=clock.now(),
        actor_kind="system",
        actor_label="retention",
        action=f"retention.{line.action}",
        target_type=line.model.lower(),
        target_id=line.kind,
        changes={"rows": line.done, "older_than_days": line.days},
    )
