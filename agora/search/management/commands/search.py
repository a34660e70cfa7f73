"""``agora search``: rebuild the search index (``reindex``) or ask it something (``query``)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.core.errors import AgoraError
from agora.core.progress import counter


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
        with counter("indexed products", command=self, verbosity=options["verbosity"]) as progress:
            count = rebuild(progress=progress, batch=options["batch"])
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
