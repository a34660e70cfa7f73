"""``agora tax``: seed the operator's VAT table from the rate source, or say which is in use."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from agora.checkout.tax.runtime import tax_seed
from agora.checkout.tax.source import tax_source
from agora.core.actors import system


class Command(BaseCommand):
    help = "VAT rates: `seed` the editable table from the source; `source` shows which is used."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="create TaxRate rows from the rate source")
        seed.add_argument(
            "--replace", action="store_true", help="overwrite rows the operator edited"
        )
        sub.add_parser("source", help="print the rate source in use")

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        if action == "source":
            self.stdout.write(str(tax_source()))
            return
        count, source = tax_seed(actor=system("agora tax seed"), replace=options["replace"])
        self.stdout.write(f"{count} tax rate rows written from {source}")
