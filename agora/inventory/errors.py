"""Problem types of inventory."""

from agora.core.errors import problem_type

STOCK_INSUFFICIENT = problem_type(
    "stock-insufficient",
    "Not enough stock",
    409,
    "The change would take a variant's on-hand quantity at a location below zero, or below the "
    "units already reserved there; the detail names the variant, the location and the quantities.",
)
LOCATION_NAME_TAKEN = problem_type(
    "location-name-taken",
    "Location name already in use",
    409,
    "The seller already has a stock location with this name; names tell locations apart for staff.",
)
