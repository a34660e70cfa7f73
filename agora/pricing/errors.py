"""Problem types of pricing."""

from agora.core.errors import problem_type

CURRENCY_UNKNOWN = problem_type(
    "currency-unknown",
    "Currency does not exist",
    422,
    "Currencies are three-letter ISO 4217 codes such as EUR, GBP or CNY.",
)

LAST_PRICE = problem_type(
    "last-price-of-published-product",
    "A published product needs a price",
    409,
    "Removing this price would leave a published product with nothing buyers can pay; "
    "unpublish the product first, or set another price before removing this one.",
)

SCHEME_UNKNOWN = problem_type(
    "price-scheme-unknown",
    "Not a documented price scheme",
    422,
    "Prices differ between buyers only through documented, opt-in schemes that treat every "
    "holder alike (a membership price, a coupon); this holding names none of them.",
)
