"""Untrusted bytes to JSON: size before parsing, depth without recursion, clear JSON errors."""

from __future__ import annotations

import json

import pytest

from agora.traceability.epcis.document import DocumentError, max_depth_of, parse


def test_parses_within_limits():
    assert parse(b'{"a": [1, {"b": "]]]]"}]}', max_bytes=100, max_depth=3) == {
        "a": [1, {"b": "]]]]"}]
    }


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [[{"b": 1}]]}', 4),
        ('["[[[[[[", "\\"[[[", {"k}": "{{{{"}]', 2),  # brackets and escaped quotes in strings
        ("[[],[],[[]]]", 3),
    ],
)
def test_max_depth_ignores_brackets_inside_strings(text, depth):
    assert max_depth_of(text) == depth


def test_ten_thousand_deep_is_refused_without_recursion_error():
    deep = "[" * 10_000 + "]" * 10_000
    with pytest.raises(DocumentError) as caught:
        parse(deep, max_bytes=1_000_000, max_depth=64)
    assert caught.value.rule == "too-deep"
    assert "10000 levels" in str(caught.value)
    # An unbalanced (also truncated) deep document is refused the same way, before json.loads.
    with pytest.raises(DocumentError, match="levels deep") as caught:
        parse('{"a":' * 50_000, max_bytes=1_000_000, max_depth=64)
    assert caught.value.rule == "too-deep"


def test_depth_at_the_limit_is_accepted():
    assert parse("[" * 64 + "]" * 64, max_bytes=1000, max_depth=64) is not None


def test_size_is_checked_before_decoding():
    with pytest.raises(DocumentError) as caught:
        parse(b"\xff" * 1001, max_bytes=1000, max_depth=64)  # not UTF-8, but too large first
    assert caught.value.rule == "too-large"
    with pytest.raises(DocumentError, match="over the limit") as caught:
        parse("é" * 600, max_bytes=1000, max_depth=64)  # 600 characters but 1,200 bytes
    assert caught.value.rule == "too-large"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"a": 1,}', "line 1 column 9"),
        (b'{"a": [1, 2', "ends early"),
        (b"", "empty"),
        (b"   ", "empty"),
        (b'{"a": NaN}', "NaN"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[" + b"1" * 5000 + b"]", "malformed JSON"),  # over Python's integer digit limit
    ],
)
def test_malformed_json_is_rule_json(raw, words):
    with pytest.raises(DocumentError) as caught:
        parse(raw, max_bytes=100_000, max_depth=64)
    assert caught.value.rule == "json"
    assert words in str(caught.value)


def test_duplicate_keys_keep_the_last_value():
    assert parse(json.dumps({"a": 1})[:-1] + ', "a": 2}', max_bytes=100, max_depth=4) == {"a": 2}


def test_utf8_bom_is_tolerated():
    assert parse(b'\xef\xbb\xbf{"a": 1}', max_bytes=100, max_depth=4) == {"a": 1}
