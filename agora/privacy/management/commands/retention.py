"""``agora retention [--dry-run] [--json]``: apply the retention rules now, or show what they
would delete or pseudonymise per kind (see :mod:`agora.privacy.retention.sweep`).

Exit 0 when every kind ran; exit 1 with one line per failed kind on stderr. A bad
``AGORA_RETENTION`` is refused before anything runs by the system check; a bad option exits 2
with the usage on stderr (argparse).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agora.privacy.retention.sweep import retention_sweep


class Command(BaseCommand):
    help = (
        "Delete or pseudonymise what is past its retention period (the daily job, run now); "
        "--dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what is due per kind; change nothing"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        report = retention_sweep(dry_run=dry_run)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            if dry_run:
                head = f"retention (dry run, nothing changed): {report.due} rows past their period"
            else:
                head = f"retention: {report.due} rows past their period, {report.done} handled"
            self.stdout.write(head)
            width = max((len(k.kind) for k in report.kinds), default=4)
            self.stdout.write(f"  {'kind':{width}}  {'action':12}  {'period':>8}  {'due':>7}  done")
            for k in report.kinds:
                if k.days is None:
                    self.stdout.write(f"  {k.kind:{width}}  {k.action:12}  {'-':>8}  {'-':>7}  -")
                    continue
                self.stdout.write(
                    f"  {k.kind:{width}}  {k.action:12}  {k.days:>6} d  {k.due:>7}  {k.done}"
                )
        for line in report.errors:
            self.stderr.write(f"retention: {line}")
        if report.errors:
            sys.exit(1)
