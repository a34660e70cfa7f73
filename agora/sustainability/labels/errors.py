"""Problem types of green labels."""

from agora.core.errors import problem_type

LABEL_EVIDENCE_MISSING = problem_type(
    "label-evidence-missing",
    "A green label needs evidence",
    422,
    "A label is requested and granted only with evidence: an uploaded certificate (PDF, PNG, "
    "JPEG or WebP), the certificate's URL at the issuer with its number, or a rule computed "
    "from the product's data that holds. The detail names what is missing.",
)
LABEL_RULE_NOT_MET = problem_type(
    "label-rule-not-met",
    "The label's rule does not hold for this product",
    422,
    "The rule was computed from the product's passport and does not hold (the detail gives the "
    "figures used and the threshold). Correct the passport or give a certificate instead.",
)
LABEL_INVALID = problem_type(
    "label-invalid",
    "The label request is not valid",
    422,
    "An unknown label kind, a scheme missing where the kind needs one, an expiry in the past or "
    "too far ahead, or evidence of a kind this label does not accept.",
)
LABEL_EXISTS = problem_type(
    "label-exists",
    "The product already has this label",
    409,
    "A pending or granted label of this kind (and scheme) exists for the product; wait for its "
    "review, or for it to expire or be withdrawn.",
)
