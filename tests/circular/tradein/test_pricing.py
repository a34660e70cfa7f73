"""The trade-in questionnaire's offer: the documented rule by hand, its errors, its properties."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agora.circular.tradein.pricing import (
    MINIMUM_OFFER_MINOR,
    QUESTIONS,
    NothingToOffer,
    PricingError,
    clean_answers,
    multiplier,
    offer_for,
    value_of,
)
from agora.core.money import Money

BEST = {"powers_on": "yes", "screen_or_frame_damage": "none", "battery_or_wear": "good"} | {
    "accessories_complete": "yes"
}


def test_the_worked_example_by_hand():
    # EUR 450.00, switches on, minor scratches (x0.80), worn battery (x0.85), charger missing
    # (x0.95): 0.80 x 0.85 = 0.68; 0.68 x 0.95 = 0.646; 45 000 x 0.646 = 29 070.000
    answers = {
        "powers_on": "yes",
        "screen_or_frame_damage": "minor",
        "battery_or_wear": "worn",
        "accessories_complete": "no",
    }
    assert multiplier(answers) == Decimal("0.646")
    assert offer_for(Money(45_000, "EUR"), answers) == Money(29_070, "EUR")


def test_the_best_condition_is_the_base_value():
    assert offer_for(Money(12_345, "GBP"), BEST) == Money(12_345, "GBP")


def test_rounding_happens_once_half_to_even():
    major = BEST | {"screen_or_frame_damage": "major"}  # x0.50
    assert offer_for(Money(2_001, "EUR"), major).amount_minor == 1_000  # 1000.5 -> 1000 (even)
    assert offer_for(Money(2_003, "EUR"), major).amount_minor == 1_002  # 1001.5 -> 1002 (even)
    # dead, cracked, worn, incomplete: 0.30 x 0.50 x 0.85 x 0.95 = 0.121125, multiplied once:
    # 10 001 x 0.121125 = 1211.371125 -> 1211 (rounding each step would give another figure)
    worst = {
        "powers_on": "no",
        "screen_or_frame_damage": "major",
        "battery_or_wear": "worn",
        "accessories_complete": "no",
    }
    assert multiplier(worst) == Decimal("0.121125")
    assert offer_for(Money(10_001, "EUR"), worst).amount_minor == 1_211


def test_below_the_minimum_there_is_no_offer():
    dead = BEST | {"powers_on": "no"}  # 300 x 0.30 = 90 < 100
    with pytest.raises(NothingToOffer, match="cannot offer anything") as caught:
        offer_for(Money(300, "EUR"), dead)
    assert caught.value.value == Money(90, "EUR")
    assert value_of(Money(300, "EUR"), dead) == Money(90, "EUR")  # inspection still sees it
    assert offer_for(Money(334, "EUR"), dead).amount_minor == 100  # 100.2 -> 100: an offer


@pytest.mark.parametrize(
    ("answers", "field", "names"),
    [
        (BEST | {"colour": "red"}, "colour", "is not a question"),
        ({k: v for k, v in BEST.items() if k != "powers_on"}, "powers_on", "not answered"),
        (BEST | {"battery_or_wear": "meh"}, "battery_or_wear", "'meh' is not an answer"),
        ("yes", "answers", "give the answers"),
    ],
)
def test_bad_answers_are_refused_naming_the_question(answers, field, names):
    with pytest.raises(PricingError) as caught:
        clean_answers(answers)
    assert caught.value.field == field
    assert names in str(caught.value)


def test_every_question_lists_its_best_answer_first_at_one():
    for question in QUESTIONS:
        assert next(iter(question.answers.values()))[1] == Decimal(1)
        assert all(Decimal(0) < m <= 1 for _, m in question.answers.values())


ALL_ANSWER_SETS = [
    dict(zip([q.key for q in QUESTIONS], combo, strict=True))
    for combo in itertools.product(*(list(q.answers) for q in QUESTIONS))
]


@given(base=st.integers(min_value=0, max_value=10**10))
def test_the_value_is_never_above_the_base_nor_below_zero(base):
    """For every one of the 24 ways to answer, any base value."""
    for answers in ALL_ANSWER_SETS:
        value = value_of(Money(base, "EUR"), answers).amount_minor
        assert 0 <= value <= base
        if value >= MINIMUM_OFFER_MINOR:
            assert offer_for(Money(base, "EUR"), answers).amount_minor == value
