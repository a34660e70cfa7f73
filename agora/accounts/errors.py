"""Problem types of the accounts app."""

from agora.core.errors import problem_type

API_KEY_INVALID = problem_type(
    "api-key-invalid",
    "API key missing, unknown or revoked",
    401,
    "Send `Authorization: Bearer agora_sk_…` with a key that has not been revoked or expired.",
)
SCOPE_MISSING = problem_type(
    "scope-missing",
    "The API key lacks a scope",
    403,
    "The key is valid but was not issued with the scope this endpoint needs (e.g. "
    "`catalog:write`). Issue a key with that scope.",
)
EMAIL_TAKEN = problem_type(
    "email-taken", "Email already registered", 409, "An account with this email already exists."
)
