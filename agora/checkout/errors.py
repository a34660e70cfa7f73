"""Problem types of checkout: carts, shipping and tax (stable ``type`` URIs for clients)."""

from __future__ import annotations

from agora.core.errors import problem_type

VARIANT_NOT_AVAILABLE = problem_type(
    "variant-not-available",
    "That item cannot be bought",
    422,
    "The variant exists but is not on sale: its product is not published or its seller is not "
    "active. `errors[].field` names the variant.",
)
CURRENCY_NOT_SOLD = problem_type(
    "currency-not-sold",
    "The seller does not sell in that currency",
    422,
    "The variant has no price in the cart's currency; the detail names the currency and the "
    "variant. Use a cart in a currency the seller prices the item in.",
)
NO_SHIPPING_ZONE = problem_type(
    "no-shipping-zone",
    "The seller does not ship to that country",
    422,
    "None of the seller's shipping zones contains the destination country; the detail names the "
    "country and the seller.",
)
CART_FULL = problem_type(
    "cart-full",
    "The cart holds too many lines",
    422,
    "A cart holds at most a fixed number of different items; remove some before adding more.",
)
TAX_RATE_UNKNOWN = problem_type(
    "tax-rate-unknown",
    "No VAT rate is known for that destination",
    422,
    "The destination is in the EU VAT area but no rate is configured for it (see the operator's "
    "tax table, `agora tax seed`).",
)
CSRF_FAILED = problem_type(
    "csrf-failed",
    "CSRF check failed",
    403,
    "Cart changes made with the session cookie must carry the CSRF token: read the `csrftoken` "
    "cookie (set by `GET /api/v1/cart`) and send it back in the `X-CSRFToken` header.",
)
CHECKOUT_ABANDONED = problem_type(
    "checkout-abandoned",
    "The checkout was abandoned",
    409,
    "The checkout was left unfinished (a 3-D Secure challenge never completed, or the buyer's "
    "request was interrupted) and was undone by the sweep: its orders are cancelled, its stock "
    "released and nothing was charged. Start a new checkout.",
)
