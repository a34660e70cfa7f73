"""Problem types of differentially private statistics."""

from agora.core.errors import problem_type

PRIVACY_BUDGET_SPENT = problem_type(
    "privacy-budget-spent",
    "The privacy budget for this month is spent",
    409,
    "Releasing these figures would spend more privacy budget (ε) than is left for this seller "
    "and month. Figures released earlier stay available; ask for a coarser release (smaller ε) or "
    "wait for the next month's data.",
)
