"""``agora recs rebuild``: purchase and return signals from every order, imported ones too."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--batch", type=int, default=2000, help="orders per batch")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")


def run(command: Any, options: dict[str, Any]) -> None:
    from agora.core.progress import counter
    from agora.recommendations.signals import signals_rebuild

    if options["batch"] < 1:
        raise CommandError(f"--batch must be at least 1, not {options['batch']}")
    started = time.perf_counter()
    with counter("orders", command=command, verbosity=options["verbosity"]) as progress:
        counts = signals_rebuild(batch=options["batch"], progress=progress)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    if options["json"]:
        command.stdout.write(json.dumps(counts))
    else:
        command.stdout.write(
            f"{counts['signals']} purchase and return signals from {counts['orders']} orders "
            f"in {counts['seconds']:.1f} s"
        )
