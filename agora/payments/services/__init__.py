"""The payment use cases (see each module): intents and capture, escrow release, refunds,
payouts."""

from agora.payments.services.credit import store_credit_issue
from agora.payments.services.escrow import escrow_release, payout_create, refund_issue
from agora.payments.services.intents import (
    payment_authorize,
    payment_cancel,
    payment_capture,
    payment_confirm_3ds,
    payment_intent_create,
)

__all__ = [
    "escrow_release",
    "payment_authorize",
    "payment_cancel",
    "payment_capture",
    "payment_confirm_3ds",
    "payment_intent_create",
    "payout_create",
    "refund_issue",
    "store_credit_issue",
]
