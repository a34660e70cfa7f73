"""Problem types of privacy."""

from agora.core.errors import problem_type

CONSENT_TEXT_OUTDATED = problem_type(
    "consent-text-outdated",
    "The consent text has changed",
    409,
    "The choice was made on an earlier version of the consent text; it is not recorded. Show the "
    "current text (GET the consents again) and ask again.",
)
