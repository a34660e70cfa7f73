"""Check digits, VAT ids and shop prices of the demo store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from agora.demo.generate import CURRENCIES
from agora.demo.numbers import charm_price, complete_vat_id, gs1_check_digit, gtin13


def test_complete_vat_id_fills_check_digits():
    assert complete_vat_id("DE", "13669597?") == "DE136695976"  # stdnum's own example
    with pytest.raises(ValueError, match="no valid"):
        complete_vat_id("DE", "0000000??")  # a German VAT id never starts with 0


def test_gs1_check_digit_known_numbers():
    assert gs1_check_digit("400638133393") == "1"  # EAN-13 4006381333931
    assert gs1_check_digit("978014044913") == "6"  # ISBN 978-0-14-044913-6
    assert gs1_check_digit("9638507") == "4"  # EAN-8 96385074
    with pytest.raises(ValueError):
        gtin13("12345")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_gtin13_always_validates(body):
    assert ean.is_valid(gtin13(body))


def _charm_ok(minor: int, currency: str) -> bool:
    cents, major = minor % 100, minor // 100
    if currency == "CNY":
        return cents == 0 and major % 10 == 8
    return cents in (99, 90) or (cents == 0 and major % 10 == 9)


@given(
    st.decimals(min_value=Decimal("2.50"), max_value=Decimal("20000"), places=2),
    st.sampled_from(CURRENCIES),
)
def test_charm_prices_stay_close_and_end_like_shop_prices(amount, currency):
    if currency == "CNY":
        amount *= 8  # yuan prices start where euro prices do, times the rate
    minor = charm_price(amount, currency)
    assert _charm_ok(minor, currency), (amount, currency, minor)
    # never further than half a rounding step: 5 % of the price, or half a unit (5 yuan)
    slack = Decimal(5) if currency == "CNY" else Decimal("0.5")
    assert abs(Decimal(minor) / 100 - amount) <= amount * Decimal("0.05") + slack
