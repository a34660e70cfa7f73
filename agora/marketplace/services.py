"""Use cases of the marketplace: onboarding sellers through their states, and their staff."""

from __future__ import annotations

import pycountry
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import (
    INVALID_TRANSITION,
    AgoraError,
    FieldError,
    invalid,
    require_max_length,
)
from agora.core.events import publish
from agora.core.money import MoneyError, normalize_currency
from agora.marketplace import errors
from agora.marketplace.events import (
    SellerActivated,
    SellerReinstated,
    SellerRejected,
    SellerStateChanged,
    SellerSuspended,
    SellerVerified,
)
from agora.marketplace.models import Seller, SellerStaff
from agora.marketplace.states import NEEDS_REASON, TRANSITIONS, SellerState, can_move
from agora.marketplace.vat import VatIdError, normalize_vat_id


def _country(code: str) -> str:
    if not isinstance(code, str) or pycountry.countries.get(alpha_2=code.upper()) is None:
        raise invalid("country", f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


def seller_apply(
    *,
    actor: Actor,
    display_name: str,
    legal_name: str,
    country: str,
    payout_currency: str,
    vat_id: str = "",
    slug: str = "",
    commission_bps: int = 1000,
    owner=None,  # type: ignore[no-untyped-def]  (accounts.User; L1 peers)
) -> Seller:
    """Registers a seller in the ``applied`` state, with its owner as staff when given."""
    country = _country(country)
    try:
        currency = normalize_currency(payout_currency)
    except MoneyError as exc:
        raise invalid("payout_currency", str(exc)) from exc
    if not display_name.strip() or not legal_name.strip():
        raise invalid("legal_name" if display_name.strip() else "display_name", "must not be empty")
    require_max_length("display_name", display_name.strip(), 150)
    require_max_length("legal_name", legal_name.strip(), 200)
    if not 0 <= commission_bps <= 10000:
        raise invalid("commission_bps", f"{commission_bps} is outside 0..10000 basis points")
    normalized_vat = ""
    if vat_id:
        try:
            normalized_vat = normalize_vat_id(country, vat_id)
        except VatIdError as exc:
            raise AgoraError(
                errors.VAT_ID_INVALID, str(exc), [FieldError("vat_id", str(exc))]
            ) from exc
    slug = slugify(slug or display_name)[:80]
    if not slug:
        raise invalid("slug", "could not derive a slug; give one of letters and digits")
    now = clock.now()
    try:
        with transaction.atomic():
            seller = Seller.objects.create(
                slug=slug,
                display_name=display_name.strip(),
                legal_name=legal_name.strip(),
                country=country,
                vat_id=normalized_vat,
                payout_currency=currency,
                commission_bps=commission_bps,
                state=SellerState.APPLIED,
                state_changed_at=now,
                created_at=now,
            )
            if owner is not None:
                SellerStaff.objects.create(
                    seller=seller, user=owner, role=SellerStaff.Role.OWNER, added_at=now
                )
            audit_record(
                actor=actor,
                action="seller.applied",
                target=seller,
                changes={"legal_name": seller.legal_name, "country": country},
                seller_id=seller.pk,
            )
            return seller
    except IntegrityError as exc:
        raise AgoraError(
            errors.SELLER_SLUG_TAKEN,
            f"the seller slug {slug!r} is already in use",
            [FieldError("slug", "already in use")],
        ) from exc


def seller_transition(
    *, actor: Actor, seller: Seller, to: SellerState | str, reason: str = ""
) -> Seller:
    """Moves a seller along applied → verified → active ⇄ suspended (or applied/verified →
    rejected); anything else is refused. Suspending and rejecting need a reason (1 to 300
    characters): it is kept on the seller, shown to them and sent in the event."""
    target = SellerState(to)
    reason = (reason or "").strip()
    require_max_length("reason", reason, 300)
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller.pk)
        current = SellerState(seller.state)
        if not can_move(current, target):
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
            raise AgoraError(
                INVALID_TRANSITION,
                f"seller {seller.public_id} is {current}; it cannot become {target} "
                f"(allowed next: {allowed})",
            )
        if target in NEEDS_REASON and not reason:
            raise invalid("reason", f"say why the seller is {target} (1 to 300 characters)")
        seller.state = target
        seller.state_changed_at = clock.now()
        seller.state_reason = reason if target in NEEDS_REASON else ""
        seller.save(update_fields=["state", "state_changed_at", "state_reason"])
        audit_record(
            actor=actor,
            action=f"seller.{target}",
            target=seller,
            changes={"state": [current, target], "reason": reason},
            seller_id=seller.pk,
        )
        publish(
            _event_for(current, target)(
                seller_id=seller.public_id,
                previous_state=current.value,
                state=target.value,
                reason=reason,
            )
        )
    return seller


def _event_for(current: SellerState, target: SellerState) -> type[SellerStateChanged]:
    if target == SellerState.ACTIVE:
        return SellerReinstated if current == SellerState.SUSPENDED else SellerActivated
    return {
        SellerState.VERIFIED: SellerVerified,
        SellerState.SUSPENDED: SellerSuspended,
        SellerState.REJECTED: SellerRejected,
    }[target]


def seller_staff_add(*, actor: Actor, seller: Seller, user, role: str) -> SellerStaff:  # type: ignore[no-untyped-def]
    if role not in SellerStaff.Role.values:
        raise invalid("role", f"{role!r} is not one of {', '.join(SellerStaff.Role.values)}")
    with transaction.atomic():
        staff, _ = SellerStaff.objects.update_or_create(
            seller=seller, user=user, defaults={"role": role, "added_at": clock.now()}
        )
        audit_record(
            actor=actor,
            action="seller.staff_set",
            target=seller,
            changes={"user": user.public_id, "role": role},
            seller_id=seller.pk,
        )
    return staff
