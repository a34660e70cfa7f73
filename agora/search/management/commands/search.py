"""``agora search``: rebuild the search index (``reindex``) or ask it something (``query``)."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.core.errors import AgoraError


@contextlib.contextmanager
def _progress(*, bar: bool, stderr: Any) -> Iterator[Any]:
    """A rich progress bar on a terminal; elsewhere a line per tenth of the way (logs, CI)."""
    if bar:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Indexing products", total=None)
            yield lambda done, total: progress.update(task, completed=done, total=total)
        return
    last = [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth != last[0]:
            last[0] = tenth
            stderr.write(f"indexed {done} of {total} products")

    yield report


class Command(BaseCommand):
    help = "Rebuild the search index from the catalogue, or run a search from the shell."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="rebuild every search document (one transaction)")
        reindex.add_argument("--batch", type=int, default=500, help="products per batch")
        query = sub.add_parser("query", help="search as the storefront would; prints JSON")
        query.add_argument("q")
        query.add_argument("--lang", default="en")
        query.add_argument("--limit", type=int, default=10)

    def handle(self, *args, action: str, **options) -> None:  # type: ignore[no-untyped-def]
        if action == "reindex":
            self._reindex(options)
        else:
            self._query(options)

    def _reindex(self, options: dict[str, Any]) -> None:
        from agora.search.indexing import rebuild

        if options["batch"] < 1:
            raise CommandError(f"--batch must be at least 1, not {options['batch']}")
        started = time.perf_counter()
        bar = sys.stderr.isatty() and options["verbosity"] > 0
        quiet = options["verbosity"] == 0
        with _progress(bar=bar, stderr=self.stderr) as progress:
            count = rebuild(progress=None if quiet else progress, batch=options["batch"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"indexed {count} published products in {seconds:.1f} s")

    def _query(self, options: dict[str, Any]) -> None:
        from agora.search.selectors import search_products

        try:
            page = search_products(
                query=options["q"], language=options["lang"], limit=options["limit"]
            )
        except AgoraError as exc:
            raise CommandError(str(exc)) from exc
        answer = {
            "total": page.total,
            "corrected_query": page.corrected_query,
            "items": [{"id": d["id"], "title": d["title"]} for d in page.items],
        }
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=1))
