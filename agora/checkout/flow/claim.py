"""A guest who signs in takes their guest checkouts and orders into the account.

Without this, orders placed as a guest vanish from "my orders" the moment the buyer logs in,
because the session's guest token no longer names the owner. Shops do the same (Shopify links a
guest's orders to the customer account); here the proof of ownership is the session that placed
them, not a matching e-mail address, which anyone could type.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from agora.checkout.flow.place import owner_of
from agora.checkout.models import Checkout
from agora.core import clock
from agora.orders.services import order_claim_for_buyer


def guest_checkouts_claim(*, guest_token: str, buyer: Any) -> int:
    """Moves the guest's checkouts and orders to ``buyer``; returns how many orders moved."""
    guest_owner = owner_of(buyer=None, guest_token=guest_token)
    with transaction.atomic():
        Checkout.objects.filter(owner=guest_owner, buyer=None).update(
            owner=owner_of(buyer=buyer), buyer=buyer, updated_at=clock.now()
        )
        return order_claim_for_buyer(buyer_ref=guest_owner, buyer=buyer)
