"""``agora recs train``: train now (the scheduled task does the same daily), with progress."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--today",
        help="the model's day, YYYY-MM-DD (default: today); e.g. the day after imported history",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(command: Any, options: dict[str, Any]) -> None:
    from agora.core.progress import stages
    from agora.recommendations.training import train_and_save

    today = None
    if options.get("today"):
        try:
            today = date.fromisoformat(options["today"])
        except ValueError as exc:
            raise CommandError(
                f"--today must be a date like 2011-10-01, not {options['today']!r}"
            ) from exc
    with stages("training", command=command, verbosity=options["verbosity"]) as progress:
        try:
            result = train_and_save(today=today, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    answer = {
        "model": result.path.name,
        "users": result.users,
        "items": result.items,
        "purchases": result.purchases,
        "seconds": round(result.seconds, 2),
    }
    if options["json"]:
        command.stdout.write(json.dumps(answer))
    else:
        command.stdout.write(
            f"trained on {answer['purchases']} purchase lines of {answer['users']} buyers and "
            f"{answer['items']} products in {answer['seconds']:.1f} s; saved {result.path}"
        )
