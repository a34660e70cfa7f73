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
OUT_OF_STOCK = problem_type(
    "out-of-stock",
    "Out of stock",
    409,
    "Not enough units are available to reserve every item (reservations are all or nothing); "
    "`shortages` lists each variant with its SKU, the units asked for and the units available.",
)
RESERVATION_CLOSED = problem_type(
    "reservation-closed",
    "The reservation is no longer held",
    409,
    "The reservations for this reference were released, expired or already turned into another "
    "order, so their stock is no longer held; reserve again (the stock may be gone).",
)
