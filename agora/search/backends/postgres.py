"""PostgreSQL: a generated, weighted ``tsvector`` (``search_tsv``: english + simple configs, GIN
index) for words, ``pg_trgm`` for the rest.

- Words: each Latin token is a prefix query in both configs, ``english`` (stems: a plural finds
  the singular) OR ``simple`` (the word as typed: names the stemmer would mangle), so a partial
  word (``lant``) finds lantern.
- Chinese runs: ``LIKE '%…%'`` over the short text and the descriptions, served by the
  ``gin_trgm_ops`` indexes for three characters or more.
- Ranking: ``ts_rank_cd`` (title weight A, keywords B, descriptions C) plus the ``pg_trgm``
  similarity of the title to the query.
- Typos: besides the shared vocabulary correction, a query nothing matched tries
  ``word_similarity`` against titles (``<%`` through the trigram index).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from agora.search.backends.base import Backend, Fragment, MatchPlan

SIMILARITY_WEIGHT = 0.5


class PostgresBackend(Backend):
    vendor = "postgresql"

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_price")

    def match(self, plan: MatchPlan) -> Fragment | None:
        tokens = plan.long
        if not tokens:
            return None
        words = [t for t in tokens if not t.cjk]
        runs = [t for t in tokens if t.cjk]
        params: list[Any] = []
        relevance = [f"{SIMILARITY_WEIGHT} * similarity(d.title_text, %s)"]
        params.append(plan.phrase)
        conditions: list[str] = []
        cond_params: list[Any] = []
        source = "search_document d"
        if words:
            parts = []
            query_params: list[Any] = []
            for token in words:
                parts.append("(to_tsquery('english', %s) || to_tsquery('simple', %s))")
                query_params += [f"{token.text}:*", f"{token.text}:*"]
            joiner = " || " if plan.relaxed else " && "
            source += f", (SELECT {joiner.join(parts)} AS query) q"
            relevance.insert(0, "ts_rank_cd(d.search_tsv, q.query)")
            conditions.append("d.search_tsv @@ q.query")
        else:
            query_params = []
        for token in runs:
            pattern = f"%{token.text}%"
            relevance.append("CASE WHEN d.title_text LIKE %s THEN 1.0 ELSE 0.5 END")
            params.append(pattern)
            conditions.append("(d.short_text LIKE %s OR d.body_text LIKE %s)")
            cond_params += [pattern, pattern]
        joiner = " OR " if plan.relaxed else " AND "
        sql = (
            f"SELECT d.product_id, ({' + '.join(relevance)}) AS relevance "
            f"FROM {source} WHERE {joiner.join(conditions)}"
        )
        return sql, [*params, *query_params, *cond_params]

    def fuzzy(self, plan: MatchPlan) -> Fragment | None:
        if not any(not t.cjk for t in plan.long):
            return None
        return (
            "SELECT product_id, word_similarity(%s, title_text) AS relevance "
            "FROM search_document WHERE %s <%% title_text",
            [plan.phrase, plan.phrase],
        )
