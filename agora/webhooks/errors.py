"""Problem types of the webhooks app."""

from agora.core.errors import problem_type

WEBHOOK_ENDPOINT_DISABLED = problem_type(
    "webhook-endpoint-disabled",
    "The webhook endpoint is disabled",
    409,
    "The endpoint was disabled (by its owner, or by Agora after repeated failed deliveries; "
    '`disabled_reason` says which). Enable it with PATCH `{"enabled": true}` before replaying '
    "deliveries to it.",
)
WEBHOOK_URL_INVALID = problem_type(
    "webhook-url-invalid",
    "The webhook URL is not accepted",
    422,
    "A webhook URL must be an absolute https:// URL with a host (http:// only for localhost or "
    "127.0.0.1, for development), without user name or password.",
)
WEBHOOK_EVENT_UNKNOWN = problem_type(
    "webhook-event-unknown",
    "Unknown webhook event type",
    422,
    "`events` lists event names Agora publishes (e.g. `order.placed`), or `*` for all of them.",
)
