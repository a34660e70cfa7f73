"""Problem types of pricing."""

from agora.core.errors import problem_type

CURRENCY_UNKNOWN = problem_type(
    "currency-unknown",
    "Currency does not exist",
    422,
    "Currencies are three-letter ISO 4217 codes such as EUR, GBP or CNY.",
)
