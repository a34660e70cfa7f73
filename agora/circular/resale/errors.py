"""Problem types of resale."""

from agora.core.errors import problem_type

RESALE_NOT_YOURS = problem_type(
    "resale-not-yours",
    "You did not buy this item on Agora",
    403,
    "Only the buyer of a delivered order can resell its items; the order is someone else's, "
    "not delivered yet, or the line does not exist.",
)
RESALE_ALREADY_REQUESTED = problem_type(
    "resale-already-requested",
    "This item is already offered for resale",
    409,
    "Every unit of the order line already has a resale request (one per unit bought); a unit "
    "cannot be listed twice.",
)
RESALE_WRONG_STATE = problem_type(
    "resale-wrong-state",
    "The resale request is not in a state for that step",
    409,
    "The flow is requested -> inspected -> listed -> sold (or rejected at inspection); the "
    "detail names the current state and the one the step needs.",
)
