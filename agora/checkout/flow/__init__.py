"""Checkout as a flow of short steps (DESIGN.md §4), each its own transaction, with its state
recorded on a :class:`agora.checkout.models.Checkout` row:

1. :func:`place.checkout_place` (one transaction): validate the cart, reserve the stock, place
   one order per seller (pending payment) and create our payment intent;
2. :func:`pay.checkout_pay` (no transaction): ask the provider to authorize, with the intent's
   idempotency key; 3-D Secure comes back later through :func:`pay.checkout_confirm_3ds`;
3. capture into escrow, then one transaction: reservations become sales, orders paid, cart
   checked out. A refusal anywhere is compensated (:func:`pay.checkout_compensate`: orders
   cancelled, reservations released, intent cancelled), and :func:`sweep.checkouts_sweep`
   resumes or compensates every checkout a crash left half-way.
"""

from agora.checkout.flow.pay import checkout_compensate, checkout_confirm_3ds, checkout_pay
from agora.checkout.flow.place import checkout_place, checkout_start
from agora.checkout.flow.sweep import checkouts_sweep

__all__ = [
    "checkout_compensate",
    "checkout_confirm_3ds",
    "checkout_pay",
    "checkout_place",
    "checkout_start",
    "checkouts_sweep",
]
