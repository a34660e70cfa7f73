"""Problem types of fulfilment (over-shipping is orders' ``over-shipped``)."""

from agora.core.errors import problem_type

CARRIER_UNKNOWN = problem_type(
    "carrier-unknown",
    "Unknown or inactive carrier",
    422,
    "The carrier code is not one the operator configured, or the carrier is switched off; "
    "see the carriers the platform offers.",
)
