"""The trade-in questionnaire and the offer it gives: pure functions, our stated policy.

Every quote and every inspection answers the same fixed questions; each answer scales the
model's base value by a multiplier (our policy, not a market model):

================================  ========================================================
``powers_on``                      yes x1.00 · no x0.30
``screen_or_frame_damage``         none x1.00 · minor x0.80 · major x0.50
``battery_or_wear``                good x1.00 · worn x0.85
``accessories_complete``           yes x1.00 · no x0.95
================================  ========================================================

``offer = base x product of the multipliers``, computed exactly in decimals and rounded
**once**, half to even, to the currency's minor unit (:class:`agora.core.money.Money`). An offer
below :data:`MINIMUM_OFFER_MINOR` is no offer: "we cannot offer anything" (the item would cost
more to ship and inspect than it is worth to us). Worked example (tests/circular/tradein):
base EUR 450.00, powers on, minor damage, worn battery, charger missing →
45 000 x 0.80 x 0.85 x 0.95 = 45 000 x 0.646 = 29 070 minor = EUR 290.70.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from agora.core.money import Money

MINIMUM_OFFER_MINOR = 100


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    # answer -> (label, multiplier); the first answer is the best condition
    answers: dict[str, tuple[str, Decimal]]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "powers_on",
        _("Does it switch on and work?"),
        {"yes": (_("Yes"), Decimal("1")), "no": (_("No"), Decimal("0.30"))},
    ),
    Question(
        "screen_or_frame_damage",
        _("Is the screen or frame damaged?"),
        {
            "none": (_("No damage"), Decimal("1")),
            "minor": (_("Minor scratches or dents"), Decimal("0.80")),
            "major": (_("Cracked, bent or broken"), Decimal("0.50")),
        },
    ),
    Question(
        "battery_or_wear",
        _("Battery or wear parts"),
        {"good": (_("Good"), Decimal("1")), "worn": (_("Worn"), Decimal("0.85"))},
    ),
    Question(
        "accessories_complete",
        _("Are the original accessories included?"),
        {"yes": (_("Yes, all of them"), Decimal("1")), "no": (_("No"), Decimal("0.95"))},
    ),
)
BY_KEY = {q.key: q for q in QUESTIONS}


class PricingError(ValueError):
    """A questionnaire that cannot be priced; ``field`` names the question at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NothingToOffer(ValueError):
    """The item is worth less than the minimum offer: no offer is made."""

    def __init__(self, value: Money) -> None:
        super().__init__(
            f"the item is worth {value} to us, below the minimum offer of "
            f"{Money(MINIMUM_OFFER_MINOR, value.currency)}: we cannot offer anything for it"
        )
        self.value = value


def clean_answers(answers: Mapping[str, object]) -> dict[str, str]:
    """The answers as ``{question: answer}``, every question answered once with a known answer;
    anything else raises :class:`PricingError` naming the question and the allowed answers."""
    if not isinstance(answers, Mapping):
        raise PricingError("answers", "give the answers as {question: answer}")
    for key in answers:
        if key not in BY_KEY:
            raise PricingError(
                str(key), f"is not a question; the questions are {', '.join(BY_KEY)}"
            )
    cleaned: dict[str, str] = {}
    for question in QUESTIONS:
        value = answers.get(question.key)
        if value is None or value == "":
            raise PricingError(
                question.key, f"is not answered; answer one of {', '.join(question.answers)}"
            )
        if value not in question.answers:
            raise PricingError(
                question.key,
                f"{value!r} is not an answer; use one of {', '.join(question.answers)}",
            )
        cleaned[question.key] = str(value)
    return cleaned


def multiplier(answers: Mapping[str, object]) -> Decimal:
    """The exact product of the answers' multipliers (no rounding)."""
    cleaned = clean_answers(answers)
    factor = Decimal(1)
    for question in QUESTIONS:
        factor *= question.answers[cleaned[question.key]][1]
    return factor


def value_of(base: Money, answers: Mapping[str, object]) -> Money:
    """What the item is worth with these answers: base x multipliers, rounded once (half to
    even), never below zero. May be below the minimum offer (inspection needs the figure)."""
    if base.amount_minor < 0:
        raise PricingError("base_value_minor", f"{base.amount_minor} is negative")
    value = base * multiplier(answers)
    return value if value.amount_minor > 0 else Money.zero(base.currency)


def offer_for(base: Money, answers: Mapping[str, object]) -> Money:
    """The offer for an item in this condition; :class:`NothingToOffer` below the minimum."""
    value = value_of(base, answers)
    if value.amount_minor < MINIMUM_OFFER_MINOR:
        raise NothingToOffer(value)
    return value
