"""Item text into terms, for content similarity in English and Chinese alike.

Latin words are lower-cased, stop words dropped and a trailing plural "s" removed; Han text has
no spaces, so each run of Han characters gives its single characters and its character pairs
(the same choice as the search app's one- and two-character table).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z0-9'-]+|[\u3400-\u9fff\uf900-\ufaff]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_STOP_EN = "a an and the of for in on with to by from set pack box bag size"
_STOP_ZH = "的 了 和 与 款 个 套 件"
STOP_WORDS = frozenset(_STOP_EN.split(" ") + _STOP_ZH.split(" "))


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The distinct terms of a text, in first-seen order."""
    found: dict[str, None] = {}
    for token in _WORD.findall(text.lower()):
        if _HAN.match(token):
            pieces = list(token) + [token[i : i + 2] for i in range(len(token) - 1)]
        else:
            pieces = [_stem(token)]
        for piece in pieces:
            if piece not in STOP_WORDS:
                found.setdefault(piece, None)
    return list(found)
