"""``agora trace checkpoint|audit|key``: the log operator's commands.

``agora trace verify`` and ``agora trace monitor`` never reach this command: ``agora/cli.py``
runs them before Django loads, since a buyer or auditor checks a bundle without our database.
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SUBCOMMANDS = {
    "checkpoint": "sign a checkpoint of the current tree head (when the log grew, or --force)",
    "audit": "recompute every leaf, subtree hash and checkpoint root from the stored entries",
    "key": "print the log's verifier key (what monitors and verifiers are given)",
}


class Command(BaseCommand):
    help = "Transparency log: sign a checkpoint, audit the stored log, show the public key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        checkpoint = sub.add_parser("checkpoint", help=SUBCOMMANDS["checkpoint"])
        checkpoint.add_argument(
            "--force", action="store_true", help="sign again even if the size did not change"
        )
        audit = sub.add_parser("audit", help=SUBCOMMANDS["audit"])
        audit.add_argument("--json", action="store_true", help="print the report as JSON")
        sub.add_parser("key", help=SUBCOMMANDS["key"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(options)

    def _checkpoint(self, options: dict[str, Any]) -> None:
        from agora.traceability.log.selectors import latest_checkpoint
        from agora.traceability.log.services import checkpoint_sign

        signed = checkpoint_sign(force=options["force"])
        if signed is None:
            latest = latest_checkpoint()
            size = latest.size if latest else 0
            self.stdout.write(f"unchanged: the latest checkpoint already covers {size} entries")
            return
        self.stdout.write(signed.note, ending="")

    def _audit(self, options: dict[str, Any]) -> None:
        from agora.traceability.log.audit import audit

        def progress(done: int, total: int) -> None:
            if not options["json"] and sys.stderr.isatty():
                sys.stderr.write(f"\raudited {done:,} of {total:,} entries")

        report = audit(progress=progress)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": report.ok,
                        "size": report.size,
                        "entries": report.entries,
                        "nodes": report.nodes,
                        "checkpoints": report.checkpoints,
                        "root": base64.b64encode(report.root).decode("ascii"),
                        "problems": report.problems,
                    }
                )
            )
        else:
            if sys.stderr.isatty():
                sys.stderr.write("\n")
            for problem in report.problems:
                self.stderr.write(problem)
        if not report.ok:
            raise CommandError(
                f"audit failed: {len(report.problems)} problem(s) in a log of {report.size} entries"
            )
        if not options["json"]:
            self.stdout.write(
                f"ok: {report.entries} entries, {report.nodes} subtree hashes and "
                f"{report.checkpoints} checkpoint(s) agree; root "
                f"{base64.b64encode(report.root).decode('ascii')}"
            )

    def _key(self, options: dict[str, Any]) -> None:
        from agora.traceability.log import signing

        self.stdout.write(signing.verifier_key())
