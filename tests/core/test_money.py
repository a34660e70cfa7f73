"""Money: integer minor units, one currency per sum, exponents from CLDR, one rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from agora.core.money import (
    CurrencyMismatch,
    Money,
    MoneyError,
    UnknownCurrency,
    exponent,
    normalize_currency,
    quantize,
    total,
)

CURRENCIES = ["EUR", "GBP", "CNY", "JPY", "KWD", "USD", "CLF"]
amounts = st.integers(min_value=-(10**15), max_value=10**15)
currencies = st.sampled_from(CURRENCIES)


@st.composite
def same_currency(draw: st.DrawFn, n: int = 3) -> list[Money]:
    currency = draw(currencies)
    return [Money(draw(amounts), currency) for _ in range(n)]


@given(same_currency())
def test_addition_is_associative_and_commutative(values: list[Money]) -> None:
    a, b, c = values
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert (a + b).amount_minor == a.amount_minor + b.amount_minor


@given(same_currency())
def test_subtraction_inverts_addition(values: list[Money]) -> None:
    a, b, c = values
    assert (a + b) - b == a
    assert (a - b) - c == a - (b + c)
    assert a - a == Money.zero(a.currency)
    assert a + (-a) == Money.zero(a.currency)


@given(amounts, amounts, st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES))
def test_two_currencies_never_mix(x: int, y: int, left: str, right: str) -> None:
    a, b = Money(x, left), Money(y, right)
    if left == right:
        assert (a + b).currency == left
        return
    with pytest.raises(CurrencyMismatch):
        a + b
    with pytest.raises(CurrencyMismatch):
        a - b
    with pytest.raises(CurrencyMismatch):
        a < b  # noqa: B015
    with pytest.raises(CurrencyMismatch):
        total([a, b], left)


def test_money_does_not_combine_with_plain_numbers() -> None:
    with pytest.raises(TypeError):
        Money(100, "EUR") + 1  # type: ignore[operator]


@given(
    amounts, currencies, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12)
)
def test_allocate_never_loses_or_invents_a_minor_unit(
    amount: int, currency: str, weights: list[int]
) -> None:
    money = Money(amount, currency)
    if sum(weights) == 0:
        with pytest.raises(MoneyError):
            money.allocate(weights)
        return
    parts = money.allocate(weights)
    assert len(parts) == len(weights)
    assert sum(p.amount_minor for p in parts) == amount
    assert all(p.currency == money.currency for p in parts)
    for part, weight in zip(parts, weights, strict=True):
        if weight == 0:
            assert part.amount_minor == 0
        # each part is within one minor unit of its exact share
        exact = Decimal(amount) * weight / sum(weights)
        assert abs(Decimal(part.amount_minor) - exact) < 1


@given(amounts, currencies, st.integers(min_value=1, max_value=50))
def test_allocate_equal_weights_differs_by_at_most_one(amount: int, currency: str, n: int) -> None:
    parts = Money(amount, currency).allocate([1] * n)
    minors = [p.amount_minor for p in parts]
    assert sum(minors) == amount
    assert max(minors) - min(minors) <= 1


def test_allocate_refuses_bad_weights() -> None:
    for weights in ([], [0, 0], [1, -1]):
        with pytest.raises(MoneyError):
            Money(100, "EUR").allocate(weights)


def test_allocate_example_gives_the_remainder_to_the_first() -> None:
    assert [p.amount_minor for p in Money(100, "EUR").allocate([1, 1, 1])] == [34, 33, 33]
    assert [p.amount_minor for p in Money(-100, "EUR").allocate([1, 1, 1])] == [-34, -33, -33]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("0.125", "EUR", 12),
        ("0.135", "EUR", 14),
        ("0.145", "EUR", 14),
        ("-0.125", "EUR", -12),
        ("2.5", "JPY", 2),
        ("3.5", "JPY", 4),
        ("1.0005", "KWD", 1000),
        ("1.0015", "KWD", 1002),
        ("12.99", "EUR", 1299),
        (7, "EUR", 700),
    ],
)
def test_from_decimal_rounds_half_even(amount: str | int, currency: str, minor: int) -> None:
    money = Money.from_decimal(Decimal(amount) if isinstance(amount, str) else amount, currency)
    assert money == Money(minor, currency)
    if isinstance(amount, str):
        assert Money.from_decimal(amount, currency) == money


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6), currencies)
def test_from_decimal_rounds_once(amount: Decimal, currency: str) -> None:
    """Rounding is done once from the exact value, not step by step (0.1249 → 0.12, while a
    two-step rounding would give 0.125 → 0.12 or 0.13 depending on the path)."""
    exp = exponent(currency)
    expected = int((amount * Decimal(10) ** exp).to_integral_value(rounding="ROUND_HALF_EVEN"))
    assert Money.from_decimal(amount, currency).amount_minor == expected
    assert quantize(amount, currency) == expected


def test_double_rounding_is_not_done() -> None:
    # rounding 0.1249 to three places first gives 0.125, then half-even 0.12; direct gives 0.12
    # too, but 0.12500001 must become 0.13 (not 0.12 via 0.125)
    assert Money.from_decimal("0.12500001", "EUR").amount_minor == 13


@pytest.mark.parametrize("currency", ["JPY", "EUR", "KWD", "CLF", "ISK", "BHD", "GBP", "CNY"])
def test_exponent_comes_from_cldr(currency: str) -> None:
    assert exponent(currency) == get_currency_precision(currency)


def test_exponent_examples() -> None:
    assert (exponent("JPY"), exponent("EUR"), exponent("KWD")) == (0, 2, 3)
    assert str(Money(1299, "EUR")) == "12.99 EUR"
    assert str(Money(1299, "JPY")) == "1299 JPY"
    assert str(Money(1299, "KWD")) == "1.299 KWD"
    assert Money(1299, "EUR").amount == Decimal("12.99")
    assert str(Money(0, "EUR").amount) == "0.00"


@pytest.mark.parametrize("code", ["XXY", "eur1", "", "EU", "ABC", "EURO", None, 978, "€"])
def test_unknown_currency_is_refused(code: object) -> None:
    with pytest.raises(UnknownCurrency):
        Money(100, code)  # type: ignore[arg-type]
    with pytest.raises(UnknownCurrency):
        normalize_currency(code)


def test_currency_code_is_normalised() -> None:
    assert Money(1, "eur").currency == "EUR"
    assert Money(1, " gbp ").currency == "GBP"


@pytest.mark.parametrize("amount", [1.5, 0.1, float("nan")])
def test_floats_are_refused(amount: float) -> None:
    with pytest.raises(MoneyError):
        Money(amount, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money.from_decimal(amount, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money(100, "EUR") * amount  # type: ignore[operator]


@pytest.mark.parametrize("bad", [True, "12", Decimal("12"), None])
def test_amount_minor_must_be_an_int(bad: object) -> None:
    with pytest.raises(MoneyError):
        Money(bad, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "1e400000000"])
def test_from_decimal_refuses_non_finite_or_junk(bad: str) -> None:
    with pytest.raises(MoneyError):
        Money.from_decimal(bad, "EUR")


@given(amounts, currencies, st.integers(min_value=-1000, max_value=1000))
def test_multiplying_by_a_quantity_is_exact(amount: int, currency: str, qty: int) -> None:
    assert (Money(amount, currency) * qty).amount_minor == amount * qty
    assert qty * Money(amount, currency) == Money(amount, currency) * qty


def test_multiplying_by_a_rate_rounds_half_even() -> None:
    assert Money(5, "EUR") * Decimal("0.5") == Money(2, "EUR")  # 2.5 → 2
    assert Money(7, "EUR") * Decimal("0.5") == Money(4, "EUR")  # 3.5 → 4
    assert Money(1000, "EUR") * Decimal("0.19") == Money(190, "EUR")


def test_total_of_nothing_is_zero_in_the_currency() -> None:
    assert total([], "JPY") == Money(0, "JPY")
    assert total([Money(1, "EUR"), Money(2, "EUR")], "EUR") == Money(3, "EUR")


def test_format_uses_the_locale() -> None:
    assert Money(123456, "EUR").format("en") == "€1,234.56"
    assert "1.234,56" in Money(123456, "EUR").format("de")
