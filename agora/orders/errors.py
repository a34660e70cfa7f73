"""Problem types of orders (state changes use core's ``invalid-state-transition``)."""

from agora.core.errors import problem_type

ORDER_ALREADY_PLACED = problem_type(
    "order-already-placed",
    "An order was already placed for this checkout",
    409,
    "The seller already has an order with this checkout reference; a retried checkout must not "
    "place a second one. Look the order up instead.",
)
REFUND_EXCEEDS_ORDER_TOTAL = problem_type(
    "order-refund-exceeds-total",
    "Refund larger than what is left of the order's total",
    409,
    "Recording the refund would take the order's refunded amount above its total; the detail "
    "names the total, what was refunded already and what is left. (Payments checks refunds "
    "against what was captured first, as `refund-exceeds-paid`.)",
)
OVER_SHIPPED = problem_type(
    "over-shipped",
    "More units than are left to ship",
    409,
    "A shipment line asks for more units of an order line than were ordered minus those already "
    "in shipments; the detail names the line and the units left.",
)
OVER_RETURNED = problem_type(
    "over-returned",
    "More units than can be returned",
    409,
    "A return line asks for more units of an order line than were bought minus those already "
    "returned or in an open return; the detail names the line and the units left.",
)
