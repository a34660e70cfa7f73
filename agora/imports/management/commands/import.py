"""``agora import <source> …``: bring outside data into Agora.

Sources so far: ``online-retail DIR`` (the UCI Online Retail by-day CSV files). A progress bar
is shown when stdout is a terminal; ``--json`` prints the figures as one JSON object on the
last line of stdout instead. Files that could not be imported are named on stderr and make the
exit status non-zero; the other files are imported all the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from agora.imports.online_retail import (
    DayFile,
    ImportInputError,
    ImportReport,
    day_files,
    import_online_retail,
)


class Command(BaseCommand):
    help = "Import data into Agora: `agora import online-retail DIR [--json]`."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        retail = sources.add_parser(
            "online-retail",
            help="the UCI Online Retail by-day CSV files",
            description=(
                "Import every *.csv of DIR (one per day, columns InvoiceNo, StockCode, "
                "Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country) as one "
                "seller's products, prices, buyers, orders and returns. Each row is accepted or "
                "rejected with a reason; re-running imports nothing twice."
            ),
        )
        retail.add_argument("directory", metavar="DIR", type=Path, help="folder of day files")
        retail.add_argument(
            "--json",
            action="store_true",
            help="print the figures as one JSON object on the last line (no progress bar)",
        )

    def handle(self, *args: Any, source: str, directory: Path, **options: Any) -> None:
        as_json = bool(options.get("json"))
        progress = None if as_json or not self.stdout.isatty() else _Progress(self.stdout)

        def on_file(path: Path, day: DayFile | None, report: ImportReport) -> None:
            if day is None:
                self.stderr.write(f"error: {report.failed_files[-1]['error']}")
            if progress is not None:
                progress.advance(path, report)

        try:
            if progress is not None:
                progress.start(directory)
            report = import_online_retail(directory, on_file=on_file)
        except ImportInputError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if progress is not None:
                progress.stop()

        figures = report.as_dict()
        if as_json:
            self.stdout.write(json.dumps(figures))
        else:
            self._summary(figures)
        if report.failed_files:
            names = ", ".join(Path(f["file"]).name for f in report.failed_files)
            raise CommandError(f"{len(report.failed_files)} file(s) could not be imported: {names}")

    def _summary(self, f: dict[str, Any]) -> None:
        out = self.stdout.write
        out(
            f"{f['files']} files, {f['rows']} rows in {f['seconds']:.1f} s "
            f"({f['rows_per_s'] or 0} rows/s): {f['rows_accepted']} accepted, "
            f"{f['rows'] - f['rows_accepted']} rejected"
        )
        for reason, count in f["rejected"].items():
            out(f"  rejected {reason:32} {count:>8}")
        out(
            f"invoices {f['invoices']}; orders {f['orders']} ({f['new_orders']} new, "
            f"{f['new_lines']} new lines); returns {f['returns_accepted']} "
            f"({f['new_return_lines']} new)"
        )
        out(
            f"customers {f['customers']} ({f['new_customers']} new); products {f['products']} "
            f"({f['new_products']} new, {f['new_title_changes']} title changes); "
            f"{f['new_price_changes']} new price changes"
        )


class _Progress:
    """A rich progress bar over the bytes of the files (they vary from 20 kB to 500 kB)."""

    def __init__(self, stream: Any) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[rows]} rows · {task.fields[speed]} rows/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=getattr(stream, "_out", stream)),
            transient=False,
        )
        self.task: Any = None

    def start(self, directory: Path) -> None:
        try:
            files = day_files(directory)
        except ImportInputError:
            files = []
        self.progress.start()
        self.task = self.progress.add_task("importing", total=len(files), rows=0, speed=0)

    def advance(self, path: Path, report: ImportReport) -> None:
        speed = round(report.rows / report.seconds) if report.seconds else 0
        self.progress.update(
            self.task, advance=1, description=path.name, rows=report.rows, speed=speed
        )

    def stop(self) -> None:
        self.progress.stop()
