"""Problem types of the marketplace app."""

from agora.core.errors import problem_type

SELLER_SLUG_TAKEN = problem_type(
    "seller-slug-taken", "Seller slug already in use", 409, "Pick another slug for the seller."
)
VAT_ID_INVALID = problem_type(
    "vat-id-invalid",
    "VAT id does not validate",
    422,
    "The VAT id fails the format or check-digit rules of the seller's country "
    "(validated with python-stdnum).",
)
SELLER_NOT_ACTIVE = problem_type(
    "seller-not-active",
    "Seller is not active",
    409,
    "Only active sellers can publish or sell; the seller is applied, verified or suspended.",
)
