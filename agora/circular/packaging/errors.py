"""Problem types of reusable packaging."""

from agora.core.errors import problem_type

PACKAGING_DEPOSIT_REFUNDED = problem_type(
    "packaging-deposit-refunded",
    "The packaging deposit was refunded already",
    409,
    "The empty package of this shipment was returned and its deposit refunded once; a deposit "
    "is never refunded twice.",
)
PACKAGING_IN_USE = problem_type(
    "packaging-in-use",
    "The package is out with another shipment",
    409,
    "A reusable package travels with one shipment at a time; it must come back (its deposit "
    "refunded) before it is packed again.",
)
PACKAGING_RETIRED = problem_type(
    "packaging-retired",
    "The package is retired",
    409,
    "The package was taken out of circulation (worn out or lost) and cannot be packed again.",
)
PACKAGING_FACTOR_UNKNOWN = problem_type(
    "packaging-factor-unknown",
    "No cited factor has that key",
    422,
    "Packaging types name their single-use alternative and their per-loop share by a key of the "
    "cited factor file (agora/circular/packaging/factors.csv).",
)
