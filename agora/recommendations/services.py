"""A buyer's own controls: the profiling switch and "not interested" (writes, audited)."""

from __future__ import annotations

from django.db import transaction

from agora.accounts.models import User
from agora.accounts.services import actor_for_user
from agora.catalog.models import Product
from agora.core import clock
from agora.core.audit import audit_record
from agora.core.errors import not_found
from agora.recommendations.models import Preference
from agora.recommendations.signals import buyer_key, not_interested_add


def preference_set(*, user: User, profiled: bool) -> Preference:
    """Switches the buyer's recommendations between personal and the same-for-everyone feed
    (DSA Art. 38). Takes effect on the next list served."""
    with transaction.atomic():
        preference, _ = Preference.objects.update_or_create(
            user=user, defaults={"profiled": profiled, "updated_at": clock.now()}
        )
        audit_record(
            actor=actor_for_user(user),
            action="recs.profiling_on" if profiled else "recs.profiling_off",
            target=user,
        )
    return preference


def product_not_interested(*, user: User, product_public_id: str) -> bool:
    """The "not interested" button: the product leaves this buyer's lists at once and counts
    as a negative at the next training. False when it had been dismissed already."""
    product_id = (
        Product.objects.filter(public_id=product_public_id).values_list("pk", flat=True).first()
    )
    if product_id is None:
        raise not_found("product", product_public_id)
    return not_interested_add(buyer=buyer_key(user_id=user.pk), product_id=product_id)
