"""SQLite: an FTS5 table with the trigram tokenizer (``search_fts``, rowid = product id).

The trigram tokenizer indexes every run of three characters, so a query matches any substring
of three characters or more: partial words (``lant`` → lantern) and Chinese without a word
segmenter (龙井 is two characters, so it takes the short path; 西湖龙井 is found here). The
``stems`` column holds Snowball stems, so a plural query finds a singular title and back.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from agora.search import ranking
from agora.search.backends.base import Backend, Fragment, MatchPlan
from agora.search.text import Token

FTS = "search_fts"
COLUMNS = ("title", "keywords", "body", "stems")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _token_expression(token: Token) -> str:
    """A token matches its own text anywhere, or its stem (in the stems column, as a
    substring of a stemmed word)."""
    if token.cjk or token.stem == token.text or len(token.stem) < 3:
        return _quoted(token.text)
    return f"({_quoted(token.text)} OR {_quoted(token.stem)})"


class SqliteBackend(Backend):
    vendor = "sqlite"

    def write(self, documents: list[dict[str, Any]]) -> None:
        ids = [d["product_id"] for d in documents]
        self.remove(ids)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, keywords, body, stems) "
                "VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        d["product_id"],
                        d["title_text"],
                        d["keyword_text"],
                        d["body_text"],
                        d["stem_text"],
                    )
                    for d in documents
                ],
            )

    def remove(self, product_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(product_ids), 500):
                chunk = product_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")

    def match(self, plan: MatchPlan) -> Fragment | None:
        tokens = plan.long
        if not tokens:
            return None
        joiner = " OR " if plan.relaxed else " AND "
        expression = joiner.join(_token_expression(t) for t in tokens)
        weights = ", ".join(str(w) for w in ranking.BM25_WEIGHTS)
        return (
            f"SELECT rowid AS product_id, -bm25({FTS}, {weights}) AS relevance "
            f"FROM {FTS} WHERE {FTS} MATCH %s",
            [expression],
        )
