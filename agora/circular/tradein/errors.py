"""Problem types of trade-in."""

from agora.core.errors import problem_type

TRADEIN_OFFER_EXPIRED = problem_type(
    "tradein-offer-expired",
    "The trade-in offer has expired",
    409,
    "An offer stands until its expiry date (14 days for a quote, 7 for a revised offer, unless "
    "the platform set other periods); after it, the trade-in is expired and nothing can be done "
    "with it. The detail names the expiry. Ask for a new quote.",
)
TRADEIN_NO_OFFER = problem_type(
    "tradein-no-offer",
    "We cannot offer anything for this item",
    422,
    "In the condition described the item is worth less than our minimum offer; no trade-in is "
    "made. The detail names the value and the minimum.",
)
TRADEIN_WRONG_STATE = problem_type(
    "tradein-wrong-state",
    "The trade-in is not in a state for that step",
    409,
    "The flow is quoted -> accepted -> shipped -> received -> credited, or received -> revised "
    "-> credited | refused -> returned; the detail names the current state and the one the step "
    "needs.",
)
TRADEIN_MODEL_UNAVAILABLE = problem_type(
    "tradein-model-unavailable",
    "We do not take this item in trade",
    422,
    "The trade-in model is unknown or no longer accepted; choose one of the listed models.",
)
