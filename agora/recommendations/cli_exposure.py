"""``agora recs exposure``: how recommendation exposure spreads over items and sellers."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--k", type=int, default=10, help="items per buyer's list (1-100)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run(command: Any, options: dict[str, Any]) -> None:
    from agora.core.progress import counter
    from agora.recommendations.exposure import exposure_report

    if not 1 <= options["k"] <= 100:
        raise CommandError(f"--k must be between 1 and 100, not {options['k']}")
    with counter("buyers", command=command, verbosity=options["verbosity"]) as progress:
        try:
            report = exposure_report(k=options["k"], progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    if options["json"]:
        command.stdout.write(json.dumps(report, ensure_ascii=False))
        return
    items, sellers = report["items"], report["sellers"]
    command.stdout.write(
        f"{report['impressions']} impressions to {report['buyers']} buyers (k={report['k']})\n"
        f"items: {items['exposed']} of {items['on_sale']} exposed, Gini {items['gini']}, "
        f"top 1% ({items['top_1_percent']['items']}) take {items['top_1_percent']['share']:.1%}\n"
        f"sellers: {sellers['exposed']} of {sellers['active_with_products']} exposed, Gini "
        f"{sellers['gini']}, small sellers ({sellers['small']['sellers']}) take "
        f"{sellers['small']['share_of_impressions']:.1%} of impressions\n"
        f"small seller: {report['definitions']['small_seller']}"
    )
