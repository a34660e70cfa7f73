"""One-typo tolerance: a query word that is in no indexed text is replaced by the nearest word of
the vocabulary (``search_term``), if there is one within the allowed edits.

The vocabulary is held in memory per process (a few thousand words; rapidfuzz scans 10 000 in
well under a millisecond) and reloaded when its version in ``search_state`` moves, which happens
only when a word appears in or disappears from the catalogue. Distances are optimal string
alignment (a swap of two neighbouring letters is one edit, as people mistype).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from agora.search.models import SearchState, SearchTerm
from agora.search.text import Token, stem

VOCABULARY_KEY = "vocabulary"
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away to guess from


def allowed_edits(word: str) -> int:
    """One edit for ordinary words, two for long ones (``bookshelfs`` → bookshelves)."""
    if len(word) < MIN_LENGTH:
        return 0
    return 1 if len(word) <= 7 else 2


@dataclass(frozen=True)
class Vocabulary:
    version: int
    terms: list[str]
    df: dict[str, int]
    blob: str  # "\n"-joined terms: ``word in blob`` is a fast "is it part of any word"
    stems: frozenset[str]

    def known(self, token: Token) -> bool:
        """The word, or its stem, is part of some indexed word (so a partial word is known)."""
        return token.text in self.blob or token.stem in self.stems

    def correct(self, word: str) -> str | None:
        limit = allowed_edits(word)
        if not limit or not self.terms:
            return None
        found = process.extract(word, self.terms, scorer=OSA.distance, score_cutoff=limit, limit=25)
        if not found:
            return None
        best = min(found, key=lambda hit: (hit[1], -self.df.get(hit[0], 0), hit[0]))
        return best[0] if best[0] != word else None


_lock = threading.Lock()
_cached: Vocabulary | None = None


def current_version() -> int:
    row = SearchState.objects.filter(key=VOCABULARY_KEY).values_list("value", flat=True).first()
    return int(row or 0)


def vocabulary() -> Vocabulary:
    """The vocabulary as of its current version (one indexed primary-key read per call)."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        rows = list(SearchTerm.objects.values_list("term", "stem", "df"))
        terms = sorted(r[0] for r in rows)
        loaded = Vocabulary(
            version=version,
            terms=terms,
            df={r[0]: r[2] for r in rows},
            blob="\n" + "\n".join(terms) + "\n",
            stems=frozenset(r[1] for r in rows),
        )
        _cached = loaded
        return loaded


def correct_tokens(tokens: list[Token]) -> tuple[list[Token], bool]:
    """The tokens with unknown Latin words replaced by their nearest known word; and whether
    anything changed."""
    vocab: Vocabulary | None = None
    corrected: list[Token] = []
    changed = False
    for token in tokens:
        if token.cjk or token.short or not token.text.isalpha():
            corrected.append(token)
            continue
        vocab = vocab or vocabulary()
        if vocab.known(token):
            corrected.append(token)
            continue
        better = vocab.correct(token.text)
        if better is None:
            corrected.append(token)
        else:
            corrected.append(Token(better, False, stem(better)))
            changed = True
    return corrected, changed
