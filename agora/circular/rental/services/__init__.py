"""Rental use cases: offers and units (seller), booking and cancelling (renter), hand-over,
return and inspection (seller), damage claims (renter, operator).

Money: the rent and the deposit are charged together when booking and held in escrow in the
payments ledger under the booking's public id (:mod:`agora.payments.services.holds`). Settling
the booking pays the rent, the late fee and any damage kept (capped at the deposit) to the seller,
less the platform's commission, and refunds the rest of the deposit; cancelling before hand-over
refunds everything. Provider calls run outside transactions (DESIGN.md §4): each flow is
"record the step, call the provider, record the answer", and repeating a call finishes a flow a
crash interrupted (the provider and the ledger are idempotent by keys derived from the booking).

Lock rule: a use case on a booking locks the booking row (``select_for_update``) before reading
its state; one booking at a time, so no ordering problem. Double booking is prevented by the
UNIQUE ``(unit, day)`` rows, not by a lock (see :mod:`agora.circular.models.rental`).
"""

from agora.circular.rental.services._common import today
from agora.circular.rental.services.booking import (
    rental_book,
    rental_book_finish,
    rental_cancel,
    rental_hand_over,
    rental_quote,
    rental_return,
)
from agora.circular.rental.services.offers import (
    rental_offer_create,
    rental_offer_update,
    rental_unit_add,
)
from agora.circular.rental.services.settlement import (
    rental_claim_accept,
    rental_claim_dispute,
    rental_claim_resolve,
    rental_deposit_settle,
    rental_inspect,
)

__all__ = [
    "rental_book",
    "rental_book_finish",
    "rental_cancel",
    "rental_claim_accept",
    "rental_claim_dispute",
    "rental_claim_resolve",
    "rental_deposit_settle",
    "rental_hand_over",
    "rental_inspect",
    "rental_offer_create",
    "rental_offer_update",
    "rental_quote",
    "rental_return",
    "rental_unit_add",
    "today",
]
