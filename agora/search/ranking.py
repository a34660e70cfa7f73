"""How results are ordered when sorting by relevance.

    score = relevance x phrase x boost

- ``relevance``: the database's own text score. SQLite: ``-bm25()`` over the FTS5 columns with
  the weights below (a title hit counts most). PostgreSQL: ``ts_rank_cd`` over the weighted
  ``tsvector`` plus ``pg_trgm`` similarity of the title to the query.
- ``phrase``: x``PHRASE_BONUS`` when the title holds the whole normalised query as written, and
  x``TITLE_BONUS`` when every query token is in the title (a title match beats a description
  that happens to hold the words).
- ``boost``: light, so it orders near-equal matches and never lifts a weak match over a strong
  one: popularity adds at most ``POPULARITY_WEIGHT`` (+25 %), on a log scale that saturates at
  ``POPULARITY_SATURATION`` units sold; a product nobody can buy now is scaled by
  ``OUT_OF_STOCK_FACTOR``. It is computed when the document is indexed, so a query only
  multiplies by a column.
"""

from __future__ import annotations

import math

# bm25 column weights, in the FTS5 column order: title, keywords, body, stems.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 6.0)
PHRASE_BONUS = 2.0
TITLE_BONUS = 1.5
POPULARITY_WEIGHT = 0.25
POPULARITY_SATURATION = 10_000
OUT_OF_STOCK_FACTOR = 0.85


def boost(popularity: int, in_stock: bool) -> float:
    """The multiplier of a product's relevance for its popularity and stock: 0.85-1.25."""
    units = max(popularity, 0)
    share = min(math.log1p(units) / math.log1p(POPULARITY_SATURATION), 1.0)
    factor = 1.0 + POPULARITY_WEIGHT * share
    return round(factor * (1.0 if in_stock else OUT_OF_STOCK_FACTOR), 6)
