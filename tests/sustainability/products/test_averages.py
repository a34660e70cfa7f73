"""The cited table of category averages: every row has a source; the loader refuses one without."""

from __future__ import annotations

import pytest

from agora.sustainability.products.averages import AverageTableError, averages, parse

HEADER = "key,categories,description,kg_co2e,per,scope,source,year,url,note\n"


def test_every_row_of_the_repository_table_names_its_source() -> None:
    rows = averages()
    assert {"bicycle-eu", "e-bike-eu", "paperback-book", "tea-dry"} <= set(rows)
    for row in rows.values():
        assert row.source and row.year >= 2000 and row.url.startswith("https://")
    assert str(rows["paperback-book"].kg_co2e) == "2.71"  # Wells et al. 2012
    assert rows["tea-dry"].fits({"tea", "green-tea"})
    assert not rows["tea-dry"].fits({"books"})


def test_a_row_without_a_source_is_refused_naming_its_line() -> None:
    text = HEADER + "ok,books,Book,2.7,book,gate,Someone 2012,2012,https://x.org,\n"
    text += "bad,tea,Tea,1.0,kg,gate,,2020,,\n"
    with pytest.raises(AverageTableError, match=r"line 3 \(bad\): no source"):
        parse(text)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("a,tea,Tea,-1,kg,s,Src,2020,,", "positive"),
        ("a,tea,Tea,abc,kg,s,Src,2020,,", "not a number"),
        ("a,tea,Tea,1,kg,s,Src,soon,,", "not a year"),
        ("a,,Tea,1,kg,s,Src,2020,,", "categories is empty"),
    ],
)
def test_unusable_rows_are_refused(row: str, problem: str) -> None:
    with pytest.raises(AverageTableError, match=problem):
        parse(HEADER + row + "\n")


def test_a_header_without_the_source_column_is_refused() -> None:
    with pytest.raises(AverageTableError, match="source"):
        parse("key,categories,description,kg_co2e,per,scope,year,url\n")
