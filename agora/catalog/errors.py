"""Problem types of the catalogue."""

from agora.core.errors import problem_type

SKU_TAKEN = problem_type(
    "sku-taken", "SKU already in use", 409, "The seller already has a variant with this SKU."
)
SLUG_TAKEN = problem_type(
    "product-slug-taken",
    "Product slug already in use",
    409,
    "The seller already has a product with this slug.",
)
GTIN_INVALID = problem_type(
    "gtin-invalid",
    "GTIN is not valid",
    422,
    "A GTIN has 8, 12, 13 or 14 digits and a valid GS1 check digit.",
)
NOT_PUBLISHABLE = problem_type(
    "product-not-publishable",
    "Product cannot be published yet",
    409,
    "A product needs at least one variant with a price, and an active seller, to be published.",
)
