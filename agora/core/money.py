"""Money as integer minor units plus an ISO 4217 code.

Every conversion from a decimal amount goes through :func:`quantize`, the one place where Agora
rounds (half-even, "banker's rounding", so that rounding errors do not drift in one direction
over many lines). Exponents come from CLDR through Babel, never from a hand-kept table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, DecimalException
from functools import cache

import pycountry
from babel.numbers import format_currency, get_currency_precision

ROUNDING = ROUND_HALF_EVEN


class MoneyError(ValueError):
    """Raised for money that cannot exist (an unknown currency, a mixed-currency sum)."""


class UnknownCurrency(MoneyError):
    def __init__(self, code: object) -> None:
        super().__init__(
            f"currency {code!r} is not an active ISO 4217 code (expected three letters such as "
            "'EUR', 'GBP' or 'CNY')"
        )
        self.code = code


class CurrencyMismatch(MoneyError):
    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine {left} with {right}: convert one of them first")
        self.left, self.right = left, right


@cache
def _is_iso_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def normalize_currency(code: object) -> str:
    """Returns the upper-case ISO 4217 code, or raises :class:`UnknownCurrency`."""
    if not isinstance(code, str) or len(code.strip()) != 3:
        raise UnknownCurrency(code)
    upper = code.strip().upper()
    if not _is_iso_currency(upper):
        raise UnknownCurrency(code)
    return upper


@cache
def exponent(currency: str) -> int:
    """Number of minor-unit digits of ``currency`` (2 for EUR, 0 for JPY, 3 for KWD)."""
    return get_currency_precision(normalize_currency(currency))


def quantize(amount: Decimal, currency: str) -> int:
    """Rounds a decimal amount in major units to integer minor units, half-even.

    This is the only rounding of money in Agora; everything else is integer arithmetic.
    """
    places = exponent(currency)
    try:
        value = Decimal(amount)
        if not value.is_finite():
            raise MoneyError(f"{amount!r} is not a finite decimal amount")
        return int(value.scaleb(places).quantize(Decimal(1), rounding=ROUNDING))
    except DecimalException as exc:  # InvalidOperation, Overflow: beyond what Decimal can hold
        raise MoneyError(f"{amount!r} is not a finite decimal amount") from exc


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise MoneyError(
                f"amount_minor must be an integer number of minor units, got {self.amount_minor!r}"
            )
        object.__setattr__(self, "currency", normalize_currency(self.currency))

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal | str | int, currency: str) -> Money:
        """Builds money from a major-unit amount such as ``Decimal("12.345")``, rounding once."""
        if isinstance(amount, float):
            raise MoneyError("money is never built from a float; pass a Decimal or a string")
        try:
            value = Decimal(amount)
        except DecimalException as exc:
            raise MoneyError(f"{amount!r} is not a decimal amount") from exc
        return cls(quantize(value, currency), currency)

    # --- views --------------------------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        """The exact major-unit amount (``Decimal('12.35')``), for display and exports."""
        return Decimal(self.amount_minor).scaleb(-exponent(self.currency))

    def format(self, locale: str = "en") -> str:
        return format_currency(self.amount, self.currency, locale=locale.replace("-", "_"))

    def as_dict(self) -> dict[str, int | str]:
        """The API's money shape: minor units, code, and the exact decimal as a string."""
        return {
            "currency": self.currency,
            "amount_minor": self.amount_minor,
            "amount": str(self.amount),
        }

    def __str__(self) -> str:
        return f"{self.amount:.{exponent(self.currency)}f} {self.currency}"

    # --- arithmetic ---------------------------------------------------------------------------
    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount_minor + self._same(other).amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount_minor - self._same(other).amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount_minor < self._same(other).amount_minor

    def __le__(self, other: Money) -> bool:
        return self.amount_minor <= self._same(other).amount_minor

    def __gt__(self, other: Money) -> bool:
        return self.amount_minor > self._same(other).amount_minor

    def __ge__(self, other: Money) -> bool:
        return self.amount_minor >= self._same(other).amount_minor

    def __mul__(self, factor: int | Decimal) -> Money:
        """Multiplies by a quantity (exact) or a rate (rounded half-even once)."""
        if isinstance(factor, (bool, float)):
            raise MoneyError("multiply money by an int or a Decimal, never a float")
        if isinstance(factor, int):
            return Money(self.amount_minor * factor, self.currency)
        if isinstance(factor, Decimal):
            product = Decimal(self.amount_minor) * factor
            return Money(int(product.quantize(Decimal(1), rounding=ROUNDING)), self.currency)
        return NotImplemented

    __rmul__ = __mul__

    def allocate(self, weights: list[int]) -> list[Money]:
        """Splits the amount in proportion to non-negative integer ``weights`` without losing or
        inventing a minor unit: the parts always sum to the whole (largest remainder first)."""
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise MoneyError("allocate needs at least one weight, none negative, not all zero")
        total = sum(weights)
        sign = -1 if self.amount_minor < 0 else 1
        whole = abs(self.amount_minor)
        shares = [whole * w // total for w in weights]
        remainders = [(whole * w % total, -i) for i, w in enumerate(weights)]
        for _, neg_index in sorted(remainders, reverse=True)[: whole - sum(shares)]:
            shares[-neg_index] += 1
        return [Money(sign * s, self.currency) for s in shares]


def total(items: list[Money], currency: str) -> Money:
    """Sums money of one currency; an empty list gives zero in ``currency``."""
    result = Money.zero(currency)
    for item in items:
        result = result + item
    return result
