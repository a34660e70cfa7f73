"""Problem types of passports, the Digital Link resolver and certificates: each names the value
at fault and what would be accepted."""

from agora.core.errors import problem_type

INVALID_DIGITAL_LINK = problem_type(
    "digital-link-invalid",
    "The GS1 Digital Link URI is not valid",
    400,
    "The path is not a GS1 Digital Link URI this resolver understands: /01/<GTIN> optionally "
    "followed by /22/<CPV>, /10/<lot> and /21/<serial> in that order, with a GTIN of 8, 12, 13 or "
    "14 digits whose check digit is right. The detail names the part that is wrong.",
)
INVALID_PASSPORT = problem_type(
    "passport-invalid",
    "The passport data is not valid",
    422,
    "Materials need a name and shares between 0 and 100 that add up to at most 100; "
    "certifications need a name and issuer, an http(s) URL and an ISO date; the origin country "
    "is an ISO 3166-1 alpha-2 code; places are named by 13-digit GLNs; the carbon footprint "
    "is not negative.",
)
INVALID_SERIAL = problem_type(
    "trace-serial-invalid",
    "The serial number or lot code is not valid",
    422,
    "Serial numbers (GS1 AI 21) and lot codes (AI 10) have 1 to 20 characters of the GS1 "
    "character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_), and the variant needs a GTIN.",
)
DUPLICATE_SERIAL = problem_type(
    "trace-serial-duplicate",
    "That serial number or lot code is already in use",
    409,
    "A GTIN's serial numbers, and a variant's lot codes, are unique; the detail lists those "
    "already recorded. Nothing was written.",
)
CERTIFICATE_NOT_ACTIVE = problem_type(
    "certificate-not-active",
    "The certificate is no longer active",
    409,
    "The certificate was transferred to a new holder; only the active certificate of an item "
    "can be transferred.",
)
CERTIFICATE_EXISTS = problem_type(
    "certificate-exists",
    "The item already has an active certificate",
    409,
    "An item has at most one active authenticity certificate; transfer it instead of issuing "
    "another.",
)
TRANSFER_CODE_INVALID = problem_type(
    "certificate-transfer-code-invalid",
    "The transfer code is not valid",
    422,
    "The code is unknown, was already used, or has expired (codes are valid for 14 days). Ask "
    "the seller of the item for a new code.",
)
