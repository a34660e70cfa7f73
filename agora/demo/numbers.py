"""Numbers the demo store needs to get right: GS1 check digits, VAT ids that validate, and shop
prices ("charm" prices) from a converted amount. Pure functions."""

from __future__ import annotations

import itertools
from decimal import ROUND_FLOOR, Decimal
from functools import cache

from agora.core.money import Money
from agora.marketplace.vat import VatIdError, normalize_vat_id

# The characters of a Chinese Unified Social Credit Code (GB 32100-2015): no I, O, S, V or Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit: weights 3 and 1 alternate from the rightmost digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def gtin13(body12: str) -> str:
    if len(body12) != 12 or not body12.isdigit():
        raise ValueError(f"a GTIN-13 body has 12 digits, got {body12!r}")
    return body12 + gs1_check_digit(body12)


@cache
def complete_vat_id(country: str, pattern: str) -> str:
    """Fills each ``?`` of ``pattern`` with the first characters that make a VAT id the
    country's rules accept (check digits, SIREN key, USCC check character)."""
    alphabet = USCC_ALPHABET if country == "CN" else "0123456789"
    holes = pattern.count("?")
    for filling in itertools.product(alphabet, repeat=holes):
        chars = iter(filling)
        candidate = "".join(next(chars) if c == "?" else c for c in pattern)
        try:
            return normalize_vat_id(country, candidate)
        except VatIdError:
            continue
    raise ValueError(f"no valid {country} VAT id fits {pattern!r}")


def _nearest(amount: Decimal, step: Decimal, offset: Decimal) -> Decimal:
    """The value ``k * step + offset`` (k ≥ 0) nearest to ``amount``; ties go down."""
    k = max(((amount - offset) / step).to_integral_value(rounding=ROUND_FLOOR), Decimal(0))
    low, high = k * step + offset, (k + 1) * step + offset
    return low if amount - low <= high - amount else high


def charm_price(amount: Decimal, currency: str) -> int:
    """Rounds a converted price to a shop price in minor units: 7.99, 24.90, 149.00, 2,299.00 in
    EUR; 7.99, 24.99, 149.00 in GBP; 48, 128, 1,298 in CNY."""
    if currency == "CNY":
        if amount < 1000:
            value = _nearest(amount, Decimal(10), Decimal(8))
        else:
            value = _nearest(amount, Decimal(100), Decimal(98))
    elif amount < 20 or (currency == "GBP" and amount < 100):
        value = _nearest(amount, Decimal(1), Decimal("0.99"))
    elif amount < 100:
        value = _nearest(amount, Decimal(1), Decimal("0.90"))
    elif amount < 1000:
        value = _nearest(amount, Decimal(10), Decimal(9))
    else:
        value = _nearest(amount, Decimal(50), Decimal(49))
    return Money.from_decimal(value, currency).amount_minor
