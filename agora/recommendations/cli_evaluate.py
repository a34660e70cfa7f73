"""``agora recs evaluate --train DIR --test DIR --k 20 [--json]``: the issue-5 protocol on Online
Retail by-day folders (see :mod:`agora.recommendations.engine.evaluate`). Progress goes to
stderr; the last stdout line is the result as one JSON object."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--train", required=True, type=Path, help="folder of training day files")
    parser.add_argument("--test", required=True, type=Path, help="folder of later day files")
    parser.add_argument("--k", type=int, default=20, help="list length scored (default 20)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")


def run(command: Any, options: dict[str, Any]) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    from agora.recommendations.engine.evaluate import EvaluationInputError, evaluate

    if options["k"] < 1:
        raise CommandError(f"--k must be 1 or more, not {options['k']}")
    quiet = options["verbosity"] == 0
    last_step = [""]

    def progress(message: str, fraction: float) -> None:
        step = message.split(":")[0] + (f" {int(fraction * 10)}" if fraction < 1 else "")
        if not quiet and step != last_step[0]:
            last_step[0] = step
            command.stderr.write(f"{message} ({fraction:.0%})")

    try:
        result = evaluate(options["train"], options["test"], k=options["k"], progress=progress)
    except (EvaluationInputError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    if not options["json"]:
        for name, figures in result["models"].items():  # type: ignore[union-attr]
            command.stdout.write(
                f"{name:<11} recall@{result['k']} {figures['recall']:.4f}  "
                f"ndcg@{result['k']} {figures['ndcg']:.4f}"
            )
    command.stdout.write(json.dumps(result))
