"""Problem types of privacy."""

from agora.core.errors import problem_type

CONSENT_TEXT_OUTDATED = problem_type(
    "consent-text-outdated",
    "The consent text has changed",
    409,
    "The choice was made on an earlier version of the consent text; it is not recorded. Show the "
    "current text (GET the consents again) and ask again.",
)
ERASURE_DONE = problem_type(
    "erasure-already-done",
    "The account is already erased",
    409,
    "This account was erased before; there is nothing left to erase. The record of the erasure "
    "is kept.",
)
EXPORT_LINK_INVALID = problem_type(
    "export-link-invalid",
    "The export link is not valid",
    400,
    "The download link was changed, belongs to another account, or has expired. Open the "
    "privacy page again for a fresh link.",
)
