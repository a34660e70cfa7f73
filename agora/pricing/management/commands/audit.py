"""``agora audit prices [--json]``: prove that no buyer is quoted a personal price.

Quotes every published variant for synthetic buyers that differ in history, device, location
and loyalty, through the real HTTP paths, and checks every "was" price against the 30-day low
(see :mod:`agora.pricing.audit`). Exit 0 with a summary when everything matches; exit 1 with
each difference on stderr otherwise. Nothing it creates is kept (one rolled-back transaction).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.pricing.audit import PAGE_MODES, PAGE_SAMPLE, audit_prices


class Command(BaseCommand):
    help = "Audits the store: `agora audit prices` checks that prices are the same for everyone."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        prices = sub.add_parser(
            "prices",
            help="quote every published variant for synthetic buyers; exit 1 on any difference "
            "not explained by a documented rule, or a 'was' price that is not the 30-day low",
        )
        prices.add_argument("--json", action="store_true", help="print one JSON object")
        prices.add_argument(
            "--pages",
            choices=PAGE_MODES,
            default="sample",
            help="product pages to read: every page for every buyer (all; slow on a big store), "
            "every page for the first buyer and --sample pages per currency for the others "
            "(sample, the default), or none (the API and the cart are still checked); listing "
            "pages (search results, categories): every page for every buyer (all), every page "
            "for the first buyer and the first of each listing for the others (sample), or none",
        )
        prices.add_argument(
            "--sample",
            type=int,
            default=PAGE_SAMPLE,
            help=f"pages per currency for each buyer after the first (default {PAGE_SAMPLE})",
        )

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if options["sample"] < 1:
            raise CommandError(f"--sample must be at least 1, not {options['sample']}")
        verbose = options["verbosity"] > 1 and not options["json"]
        try:
            report = audit_prices(
                pages=options["pages"],
                sample=options["sample"],
                progress=(lambda text: self.stderr.write(text)) if verbose else None,
            )
        except RuntimeError as exc:  # a page or endpoint refused a synthetic buyer
            raise CommandError(f"the price audit could not run: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(
                f"price audit: {report.variants} published variants of {report.products} "
                f"products in {', '.join(report.currencies) or 'no currency'}, "
                f"{len(report.buyers)} synthetic buyers, {report.quotes} prices shown, "
                f"{report.pages_read} product pages read ({report.pages}), "
                f"{report.listing_pages_read} listing pages read ({report.cards} cards), "
                f"{report.reductions} reductions checked against the 30-day low: "
                + ("no difference" if report.ok else f"{len(report.differences)} differences")
            )
            for buyer in report.buyers:
                self.stdout.write(f"  buyer {buyer['name']}: {buyer['is']}")
            self.stdout.write("  (the synthetic buyers were written in a rolled-back transaction)")
        for difference in report.differences:
            self.stderr.write(difference.line())
        if not report.ok:
            sys.exit(1)
