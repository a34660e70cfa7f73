"""Text normalisation and tokens for search: pure functions, the same for the index and the query.

Both sides of a match go through :func:`normalise`, so case, width (full-width Latin, ideographic
space), diacritics (``crème`` = ``creme``) and punctuation never decide whether a product is found.
Chinese (and Japanese, Korean) runs are kept whole: the index matches them as substrings, which
needs no word segmenter. Latin words also get a Snowball English stem, so ``cherries`` finds
``cherry`` and ``mugs`` finds ``mug`` on either database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Ideographs, kana and Hangul: scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUNS = re.compile(f"[{_CJK}]+|[^\\s{_CJK}]+")
_CJK_RUN = re.compile(f"^[{_CJK}]+$")
_SPACES = re.compile(r"\s+")

# Words that say nothing about a product; a query made only of them keeps them.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "set",
        "the",
        "to",
        "with",
    ]
)
MIN_INDEXED = 3  # the trigram index matches runs of three characters or more

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    """One character folded: punctuation and symbols become a space, letters lose their
    diacritics (NFKD, marks dropped) but keep their script (Hangul recomposes)."""
    category = unicodedata.category(char)
    if category[0] in "PSZC" or char == "_":
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def normalise(text: str) -> str:
    """Lower-case, width-folded, diacritic-free text with punctuation turned into single spaces."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return _SPACES.sub(" ", "".join(_fold_char(c) for c in folded)).strip()


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


def tokens(text: str) -> list[str]:
    """Runs of normalised text: each CJK run and each other word is one token
    (``7速城市自行车`` → ``7``, ``速城市自行车``)."""
    return _RUNS.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a Latin word (``candles`` → ``candl``); other tokens as
    they are."""
    if is_cjk(word) or not word.isalpha():
        return word
    return _stemmer.stemWord(word)


def latin_words(text: str) -> list[str]:
    """The indexable non-CJK words of ``text`` (three characters or more)."""
    return [t for t in tokens(text) if len(t) >= MIN_INDEXED and not is_cjk(t)]


def cjk_grams(text: str) -> set[str]:
    """Each CJK character of ``text`` and each pair of neighbouring ones (within a run)."""
    grams: set[str] = set()
    for run in tokens(text):
        if is_cjk(run):
            grams.update(run)
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def stem_text(text: str) -> str:
    """The stems of ``text``'s Latin words, space-separated, for the plural/singular column."""
    return " ".join(stem(w) for w in latin_words(text) if w.isalpha())


@dataclass(frozen=True)
class Token:
    """One query token: its normalised text, whether it is a CJK run, and its stem."""

    text: str
    cjk: bool
    stem: str

    @property
    def short(self) -> bool:
        """Too short for the trigram index: found by substring over the short-text column."""
        return len(self.text) < MIN_INDEXED


def query_tokens(query: str) -> list[Token]:
    """The tokens of a query. Stop words and one- or two-letter Latin fragments are dropped when
    the query has other words (``set of 3 cake tins`` searches ``cake tins``); CJK runs are
    always kept, whatever their length, because one or two characters (茶, 咖啡) are whole
    words in Chinese."""
    found = [Token(t, is_cjk(t), stem(t)) for t in tokens(query)]
    meaningful = [t for t in found if t.cjk or (len(t.text) >= 3 and t.text not in STOPWORDS)]
    if meaningful:
        found = meaningful
    unique: dict[str, Token] = {}
    for token in found:
        unique.setdefault(token.text, token)
    return list(unique.values())[:12]
