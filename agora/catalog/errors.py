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
KEPT_RECORDS = problem_type(
    "catalog-kept-records",
    "Records that must be kept refer to it",
    409,
    "The product or variant cannot be deleted because records the platform must keep (for example"
    " issued authenticity certificates) refer to it. Unpublish the product instead.",
)
