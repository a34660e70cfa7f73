"""Problem types of payments."""

from agora.core.errors import problem_type

PAYMENT_DECLINED = problem_type(
    "payment-declined",
    "The payment was declined",
    402,
    "The card issuer or the provider declined the payment; `decline_code` says why (e.g. "
    "`card_declined`, `insufficient_funds`). Nothing was charged.",
)
PAYMENT_PROVIDER_REFUSED = problem_type(
    "payment-provider-refused",
    "The payment provider refused the request",
    409,
    "The provider refused the operation itself (a second capture, a refund over what was "
    "captured, an idempotency key reused with other parameters); the detail gives its code.",
)
REFUND_EXCEEDS_PAID = problem_type(
    "refund-exceeds-paid",
    "Refund larger than what was paid",
    409,
    "The refund, together with the refunds already issued or in progress, would exceed what the "
    "buyer paid for the order; the detail names the amounts.",
)
ORDER_NOT_PAID = problem_type(
    "order-not-paid",
    "The order has no captured payment",
    409,
    "Escrow can only be released or refunded for an order whose payment was captured.",
)
NOTHING_TO_RELEASE = problem_type(
    "nothing-to-release",
    "Nothing held in escrow",
    409,
    "The order's escrow is empty: it was released already, or refunded in full.",
)
NOTHING_TO_PAY_OUT = problem_type(
    "nothing-to-pay-out",
    "Nothing to pay out",
    409,
    "The seller's payable balance in this currency is zero or negative.",
)
LEDGER_UNBALANCED = problem_type(
    "ledger-unbalanced",
    "Ledger transaction does not balance",
    500,
    "A posting did not sum to zero per currency and was refused; this is a bug, never a user "
    "error.",
)
ALREADY_CAPTURED = problem_type(
    "payment-already-captured",
    "Payment already captured",
    409,
    "The payment was captured before; a second capture is refused and nothing is posted. "
    "Retried provider calls are safe through their idempotency keys.",
)
STORE_CREDIT_INSUFFICIENT = problem_type(
    "store-credit-insufficient",
    "Not enough store credit",
    409,
    "The store credit asked for is more than the buyer's unspent balance in that currency (credit "
    "held by a checkout in progress is not spendable again); the detail names both amounts.",
)
