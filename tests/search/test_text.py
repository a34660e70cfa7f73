"""Normalisation and tokens: the same folding on both sides of a match (no database)."""
# ruff: noqa: RUF001  (full-width and Chinese characters on purpose)

from __future__ import annotations

from agora.search.ranking import OUT_OF_STOCK_FACTOR, boost
from agora.search.text import normalise, query_tokens, stem, tokens


def test_normalise_folds_case_width_diacritics_and_punctuation() -> None:
    assert normalise("Crème  BRÛLÉE, T-Light!") == "creme brulee t light"
    assert normalise("ＡＢＣ　１２３") == "abc 123"  # full-width Latin and ideographic space
    assert normalise("珍藏西湖龙井（散茶）") == "珍藏西湖龙井 散茶"


def test_tokens_split_cjk_runs_from_other_words() -> None:
    assert tokens("豪达 7速城市自行车") == ["豪达", "7", "速城市自行车"]
    assert tokens("Gouda city-bike") == ["gouda", "city", "bike"]


def test_query_tokens_drop_stop_words_and_fragments_but_keep_short_chinese() -> None:
    assert [t.text for t in query_tokens("set of 3 cake tins")] == ["cake", "tins"]
    assert [t.text for t in query_tokens("茶")] == ["茶"]
    assert [t.text for t in query_tokens("the")] == ["the"]  # nothing else to search for
    token = query_tokens("咖啡")[0]
    assert token.cjk and token.short


def test_plural_and_singular_share_a_stem() -> None:
    assert stem("cherries") == stem("cherry")
    assert stem("candles") == stem("candle")
    assert stem("boxes") == stem("box")


def test_boost_is_light_and_monotonic() -> None:
    assert boost(0, True) == 1.0
    assert boost(0, False) == OUT_OF_STOCK_FACTOR
    assert boost(10, True) < boost(1000, True) <= 1.25
    assert boost(10**9, True) == 1.25  # saturates
