"""``agora recs``: rebuild signals, train, report exposure, evaluate.

Each subcommand's code lives in its own module (``agora/recommendations/cli_<name>.py``) with
``add_arguments(parser)`` and ``run(command, options)``; modules are imported only when their
subcommand runs (``evaluate`` reads the Online Retail files and needs the heavy libraries), except
that ``add_arguments`` is asked for when building ``--help``.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SUBCOMMANDS = {
    "rebuild": "recreate purchase and return signals from every order (imports included)",
    "train": "train on every signal and save the model that serving loads",
    "exposure": "how recommendation exposure spreads over items and sellers",
    "evaluate": "train on Online Retail by-day files and score on later ones (recall, NDCG)",
}


def _module(name: str) -> Any:
    return importlib.import_module(f"agora.recommendations.cli_{name}")


class Command(BaseCommand):
    help = "Recommendations: rebuild signals, train, exposure report, offline evaluation."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in SUBCOMMANDS.items():
            child = sub.add_parser(name, help=text, description=text)
            try:
                _module(name).add_arguments(child)
            except ModuleNotFoundError as exc:  # evaluate ships with the engine's work
                if exc.name != f"agora.recommendations.cli_{name}":
                    raise

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            module = _module(action)
        except ModuleNotFoundError as exc:
            if exc.name != f"agora.recommendations.cli_{action}":
                raise
            raise CommandError(f"`agora recs {action}` is not available in this build") from exc
        module.run(self, options)
