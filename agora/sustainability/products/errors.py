"""Problem types of product footprints."""

from agora.core.errors import problem_type

FOOTPRINT_INVALID = problem_type(
    "footprint-invalid",
    "The product footprint is not valid",
    422,
    "A footprint needs a positive figure in kg CO2e per unit, a basis (lca, epd, supplier or "
    "category_average), the date it was assessed (not in the future) and its reference (the "
    "study's title, the EPD number or the supplier declaration). A category average must be a "
    "row of the cited table meant for the product's category; its figure comes from the table.",
)
