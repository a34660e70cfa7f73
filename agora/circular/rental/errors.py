"""Problem types of rental."""

from agora.core.errors import problem_type

RENTAL_DATES_UNAVAILABLE = problem_type(
    "rental-dates-unavailable",
    "The unit is already booked on some of those days",
    409,
    "Another booking holds the unit on at least one day of the requested dates; the detail "
    "names the unit and the clashing days (`clashing_days`). Dates are half-open: a booking may "
    "start on the day another one ends.",
)
RENTAL_DATES_INVALID = problem_type(
    "rental-dates-invalid",
    "The rental dates are not valid",
    422,
    "The end date must be after the start date, the start must not be in the past, and the "
    "number of days must be within the offer's minimum and maximum.",
)
RENTAL_DEPOSIT_SETTLED = problem_type(
    "rental-deposit-settled",
    "The deposit was settled already",
    409,
    "The booking's deposit has already been released, kept or refunded; it cannot be refunded "
    "twice.",
)
RENTAL_PAYMENT_DECLINED = problem_type(
    "rental-payment-declined",
    "The rent and deposit could not be charged",
    402,
    "The card was declined (or needs 3-D Secure, which rental holds do not take); the booking "
    "was cancelled and its days freed. `decline_code` says why.",
)
