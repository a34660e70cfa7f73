"""Problem types of trust (reviews, notices, moderation, appeals)."""

from agora.core.errors import problem_type

NOT_A_VERIFIED_BUYER = problem_type(
    "review-not-verified-purchase",
    "Only verified buyers may review",
    403,
    "A review needs a signed-in buyer with a delivered or completed order line of the product.",
)
STATEMENT_REQUIRED = problem_type(
    "moderation-statement-required",
    "A statement of reasons is required",
    422,
    "Every moderation decision states the facts and circumstances, the legal or terms-of-service "
    "ground and whether automated means were used (EU DSA Art. 17); `errors` names what is "
    "missing.",
)
ALREADY_DECIDED = problem_type(
    "moderation-already-decided",
    "Already decided",
    409,
    "The notice or appeal has a decision already; a decision is changed only through an appeal.",
)
APPEAL_NOT_ALLOWED = problem_type(
    "moderation-appeal-not-allowed",
    "This appeal is not allowed",
    403,
    "Only the person or seller a decision affects may appeal it, once, within six months.",
)
SAME_OPERATOR = problem_type(
    "moderation-appeal-same-operator",
    "The appeal needs another operator",
    409,
    "An appeal is decided by a different operator than the one who made the decision "
    "(EU DSA Art. 20(6)).",
)
