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
MFA_CODE_INVALID = problem_type(
    "mfa-code-invalid",
    "The two-factor code is not valid",
    422,
    "The 6-digit code from the authenticator app (or a recovery code) is wrong, was already "
    "used, or belongs to another 30-second step. Enter the code the app shows now.",
)
MFA_STATE = problem_type(
    "mfa-state",
    "Two-factor authentication is not in the needed state",
    409,
    "Turning two-factor authentication on needs it to be off, confirming needs a pending "
    "enrolment, and turning it off or renewing recovery codes needs it to be on.",
)
LOGIN_LOCKED = problem_type(
    "login-locked",
    "Too many failed sign-ins",
    429,
    "After repeated failed sign-ins the account (or the address they came from) is locked for "
    "a while, longer after each lock-out; try again after the time given in `Retry-After`.",
)
