"""Trade-in use cases: a buyer asks for a quote (model + condition questions), accepts it
before it expires, ships the item with our label; the platform receives and inspects it and
either grants store credit for the accepted offer or makes a revised offer, which the buyer
accepts (store credit) or refuses (the item goes back).

Lock rule: every step locks the trade-in row (``select_for_update``) before reading its state,
and changes one trade-in per transaction. Store credit is granted inside the step's transaction
(``store_credit_issue`` joins it), so "credited" and the ledger grant commit together; its
idempotency key is the trade-in id plus the offer version, so even a step run twice could not
grant twice.

Expiry: a quoted or revised offer expires at its date. The sweep expires due offers every few
minutes, and any step that finds its offer past the date expires it (committed) and refuses
with ``tradein-offer-expired`` naming the date.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from agora.circular.models import TradeIn, TradeInModel
from agora.circular.tradein import errors, pricing
from agora.circular.tradein.events import (
    TradeInAccepted,
    TradeInCredited,
    TradeInQuoted,
    TradeInReturned,
    TradeInRevised,
)
from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, AgoraError, invalid, require_max_length
from agora.core.events import publish
from agora.core.money import Money, MoneyError, normalize_currency
from agora.payments.services import store_credit_issue

Status = TradeIn.Status
CREDIT_ACTOR = system("circular")  # grants the credit of a revised offer the buyer accepts
SWEEP_ACTOR = system("circular.tradein_sweep")
LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a parcel


def offer_days() -> int:
    return int(getattr(settings, "AGORA_TRADEIN_OFFER_DAYS", 14))


def revised_days() -> int:
    return int(getattr(settings, "AGORA_TRADEIN_REVISED_DAYS", 7))


# --- guards -------------------------------------------------------------------------------------


def _require_buyer(actor: Actor, tradein: TradeIn) -> None:
    if actor.kind != "user" or actor.user_id != tradein.buyer_id:
        raise AgoraError(FORBIDDEN, f"trade-in {tradein.public_id} is not yours")


def _require_platform(actor: Actor, what: str) -> None:
    if actor.kind != "system" and not actor.is_operator:
        raise AgoraError(FORBIDDEN, f"{what} is done by the platform, not by {actor.label}")


def _state(tradein: TradeIn, *allowed: str) -> None:
    if tradein.status not in allowed:
        raise AgoraError(
            errors.TRADEIN_WRONG_STATE,
            f"trade-in {tradein.public_id} is {tradein.status}; this step needs "
            f"{' or '.join(allowed)}",
        )


def _locked(tradein: TradeIn) -> TradeIn:
    return (
        TradeIn.objects.select_for_update(of=("self",))
        .select_related("buyer", "model")
        .get(pk=tradein.pk)
    )


def _expiry(tradein: TradeIn) -> datetime | None:
    if tradein.status == Status.QUOTED:
        return tradein.offer_expires_at
    if tradein.status == Status.REVISED:
        return tradein.revised_expires_at
    return None


def _expire_if_due(tradein: TradeIn, actor: Actor) -> bool:
    """Expires a locked quoted/revised trade-in whose offer is past its date; True if it did."""
    expiry = _expiry(tradein)
    if expiry is None or clock.now() < expiry:
        return False
    was = tradein.status
    tradein.status, tradein.closed_at = Status.EXPIRED, clock.now()
    tradein.reason = f"the {'revised ' if was == Status.REVISED else ''}offer expired"
    tradein.updated_at = tradein.closed_at
    tradein.save(update_fields=["status", "closed_at", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="tradein.expired",
        target=tradein,
        changes={"status": [was, Status.EXPIRED], "expired_at": expiry.isoformat()},
    )
    return True


def _expired_error(tradein: TradeIn) -> AgoraError:
    expiry = tradein.revised_expires_at or tradein.offer_expires_at
    after = (
        " The item will be sent back to you."
        if tradein.received_at is not None and tradein.status == Status.EXPIRED
        else " Ask for a new quote."
    )
    return AgoraError(
        errors.TRADEIN_OFFER_EXPIRED,
        f"the offer of trade-in {tradein.public_id} expired on {expiry:%Y-%m-%d %H:%M} UTC.{after}",
        extra={"expired_at": expiry.isoformat()},
    )


def _step(tradein: TradeIn, actor: Actor, action: Any, *, expiring: bool = True) -> TradeIn:
    """Runs ``action(locked)`` in one transaction; when ``expiring`` and the offer is past its
    date, commits the expiry instead and then refuses (the refusal must not roll it back)."""
    with transaction.atomic():
        locked = _locked(tradein)
        # an offer expired before (by the sweep) or now: refuse after committing the expiry
        expired = expiring and (locked.status == Status.EXPIRED or _expire_if_due(locked, actor))
        if not expired:
            action(locked)
    if expired:
        raise _expired_error(locked)
    return locked


# --- quote --------------------------------------------------------------------------------------


def _new_label_code() -> str:
    return "TI-" + "".join(secrets.choice(LABEL_ALPHABET) for _ in range(10))


def tradein_model_create(
    *,
    actor: Actor,
    name: str,
    base_value_minor: int,
    currency: str,
    category: str = "",
    brand: str = "",
    gtin: str = "",
    active: bool = True,
) -> TradeInModel:
    """Adds an item to the list of what we take in trade (operators; the demo seeds some)."""
    _require_platform(actor, "managing trade-in models")
    name = (name or "").strip()
    if not name:
        raise invalid("name", "must not be empty")
    require_max_length("name", name, 200)
    require_max_length("category", category, 80)
    require_max_length("brand", brand, 80)
    if gtin and (not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14)):
        raise invalid("gtin", f"{gtin!r} is not a GTIN (8, 12, 13 or 14 digits)")
    if (
        isinstance(base_value_minor, bool)
        or not isinstance(base_value_minor, int)
        or base_value_minor <= 0
    ):
        raise invalid("base_value_minor", f"{base_value_minor!r} is not a positive amount")
    try:
        currency = normalize_currency(currency)
    except MoneyError as exc:
        raise invalid("currency", str(exc)) from None
    with transaction.atomic():
        if TradeInModel.objects.filter(name=name, currency=currency).exists():
            raise invalid("name", f"a trade-in model {name!r} in {currency} exists already")
        model = TradeInModel.objects.create(
            name=name,
            category=category.strip(),
            brand=brand.strip(),
            gtin=gtin,
            base_value_minor=base_value_minor,
            currency=currency,
            active=active,
        )
        audit_record(
            actor=actor,
            action="tradein.model_created",
            target=model,
            changes={"base_value_minor": base_value_minor, "currency": currency},
        )
    return model


def tradein_quote(
    *, actor: Actor, buyer: Any, model: TradeInModel | None, answers: Mapping[str, object]
) -> TradeIn:
    """The buyer's quote: the model's base value scaled by the answers, valid for
    ``AGORA_TRADEIN_OFFER_DAYS`` days. An item worth less than the minimum gets no offer (and no
    trade-in row)."""
    if actor.kind != "user" or actor.user_id != getattr(buyer, "pk", None):
        raise AgoraError(FORBIDDEN, "a trade-in quote is asked for by the buyer themselves")
    if model is None or not model.active:
        raise AgoraError(
            errors.TRADEIN_MODEL_UNAVAILABLE,
            f"trade-in model {getattr(model, 'public_id', '?')} is not one we accept",
        )
    try:
        offer = pricing.offer_for(Money(model.base_value_minor, model.currency), answers)
        cleaned = pricing.clean_answers(answers)
    except pricing.PricingError as exc:
        raise invalid(f"answers.{exc.field}", exc.message) from None
    except pricing.NothingToOffer as exc:
        raise AgoraError(errors.TRADEIN_NO_OFFER, f"{model.name}: {exc}") from None
    now = clock.now()
    for _attempt in range(3):  # a label code clash is a 1 in 10^15 event; retry anyway
        try:
            with transaction.atomic():
                tradein = TradeIn.objects.create(
                    buyer=buyer,
                    model=model,
                    answers=cleaned,
                    currency=model.currency,
                    base_value_minor=model.base_value_minor,
                    offer_minor=offer.amount_minor,
                    offer_expires_at=now + timedelta(days=offer_days()),
                    label_code=_new_label_code(),
                    created_at=now,
                    updated_at=now,
                )
                audit_record(
                    actor=actor,
                    action="tradein.quoted",
                    target=tradein,
                    changes={"model": model.public_id, "offer_minor": offer.amount_minor},
                )
                publish(
                    TradeInQuoted(
                        tradein_id=tradein.public_id,
                        buyer_id=buyer.public_id,
                        model_id=model.public_id,
                        offer_minor=offer.amount_minor,
                        currency=model.currency,
                        expires_at=tradein.offer_expires_at.isoformat(),
                    )
                )
            return tradein
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a unique trade-in label code")  # pragma: no cover


# --- the buyer's steps --------------------------------------------------------------------------


def tradein_accept(*, actor: Actor, tradein: TradeIn) -> TradeIn:
    """The buyer accepts the quote before it expires; after that, ``tradein-offer-expired``."""
    _require_buyer(actor, tradein)

    def accept(t: TradeIn) -> None:
        _state(t, Status.QUOTED)
        t.status, t.accepted_at = Status.ACCEPTED, clock.now()
        t.updated_at = t.accepted_at
        t.save(update_fields=["status", "accepted_at", "updated_at"])
        audit_record(actor=actor, action="tradein.accepted", target=t)
        publish(
            TradeInAccepted(
                tradein_id=t.public_id,
                buyer_id=t.buyer.public_id,
                offer_minor=t.offer_minor,
                currency=t.currency,
            )
        )

    return _step(tradein, actor, accept)


def tradein_cancel(*, actor: Actor, tradein: TradeIn) -> TradeIn:
    """The buyer withdraws before shipping (a quote, or an accepted offer not yet sent)."""
    _require_buyer(actor, tradein)

    def cancel(t: TradeIn) -> None:
        _state(t, Status.QUOTED, Status.ACCEPTED)
        was = t.status
        t.status, t.closed_at, t.reason = Status.CANCELLED, clock.now(), "cancelled by the buyer"
        t.updated_at = t.closed_at
        t.save(update_fields=["status", "closed_at", "reason", "updated_at"])
        audit_record(
            actor=actor, action="tradein.cancelled", target=t, changes={"status": [was, t.status]}
        )

    return _step(tradein, actor, cancel)


def tradein_ship(*, actor: Actor, tradein: TradeIn, note: str = "") -> TradeIn:
    """The buyer says "I have shipped it" (with an optional tracking number)."""
    _require_buyer(actor, tradein)
    note = (note or "").strip()
    require_max_length("note", note, 200)

    def ship(t: TradeIn) -> None:
        _state(t, Status.ACCEPTED)
        t.status, t.shipped_at, t.shipping_note = Status.SHIPPED, clock.now(), note
        t.updated_at = t.shipped_at
        t.save(update_fields=["status", "shipped_at", "shipping_note", "updated_at"])
        audit_record(actor=actor, action="tradein.shipped", target=t, changes={"note": note})

    return _step(tradein, actor, ship, expiring=False)


def tradein_accept_revised(*, actor: Actor, tradein: TradeIn) -> TradeIn:
    """The buyer accepts the revised offer before it expires: store credit for it at once."""
    _require_buyer(actor, tradein)

    def accept(t: TradeIn) -> None:
        _state(t, Status.REVISED)
        if not t.revised_offer_minor:
            raise AgoraError(
                errors.TRADEIN_NO_OFFER, f"trade-in {t.public_id} has no revised offer to accept"
            )
        t.revised_decided_at = clock.now()
        _credit(t, CREDIT_ACTOR, t.revised_offer_minor, decided_by=actor)

    return _step(tradein, actor, accept)


def tradein_refuse_revised(*, actor: Actor, tradein: TradeIn) -> TradeIn:
    """The buyer refuses the revised offer: we send the item back, no credit."""
    _require_buyer(actor, tradein)

    def refuse(t: TradeIn) -> None:
        _state(t, Status.REVISED)
        t.status, t.revised_decided_at = Status.REFUSED, clock.now()
        t.updated_at = t.revised_decided_at
        t.save(update_fields=["status", "revised_decided_at", "updated_at"])
        audit_record(actor=actor, action="tradein.refused", target=t)

    return _step(tradein, actor, refuse)


# --- the platform's steps -----------------------------------------------------------------------


def tradein_receive(*, actor: Actor, tradein: TradeIn) -> TradeIn:
    """The parcel arrived at the trade-in centre (also when the buyer forgot to say it was
    shipped)."""
    _require_platform(actor, "receiving a trade-in")

    def receive(t: TradeIn) -> None:
        _state(t, Status.ACCEPTED, Status.SHIPPED)
        t.status, t.received_at = Status.RECEIVED, clock.now()
        t.updated_at = t.received_at
        t.save(update_fields=["status", "received_at", "updated_at"])
        audit_record(actor=actor, action="tradein.received", target=t)

    return _step(tradein, actor, receive, expiring=False)


def _credit(t: TradeIn, actor: Actor, amount_minor: int, *, decided_by: Actor) -> None:
    """Grants ``amount_minor`` of store credit for the locked trade-in and marks it credited;
    runs in the caller's transaction. The key makes a second grant for the same offer post
    nothing even if the state check were bypassed."""
    ltx = store_credit_issue(
        actor=actor,
        buyer=t.buyer,
        amount_minor=amount_minor,
        currency=t.currency,
        program="trade_in",
        reference=t.public_id,
        idempotency_key=f"tradein:{t.public_id}:v{t.offer_version}",
        memo=f"Trade-in {t.public_id}: {t.model.name}"[:200],
    )
    t.status, t.credited_minor, t.credited_at = Status.CREDITED, amount_minor, clock.now()
    t.credit_transaction_id, t.updated_at = ltx.public_id, t.credited_at
    t.save()
    audit_record(
        actor=decided_by,
        action="tradein.credited",
        target=t,
        changes={"amount_minor": amount_minor, "ledger": ltx.public_id},
    )
    publish(
        TradeInCredited(
            tradein_id=t.public_id,
            buyer_id=t.buyer.public_id,
            amount_minor=amount_minor,
            currency=t.currency,
            ledger_transaction_id=ltx.public_id,
        )
    )


def tradein_inspect(
    *, actor: Actor, tradein: TradeIn, answers: Mapping[str, object], note: str = ""
) -> TradeIn:
    """The inspector answers the same questions. Worth at least the accepted offer: store
    credit for the accepted offer. Worth less: a revised offer valid
    ``AGORA_TRADEIN_REVISED_DAYS`` days (worth less than the minimum: nothing to offer, the
    trade-in is refused and the item goes back)."""
    _require_platform(actor, "inspecting a trade-in")
    note = (note or "").strip()
    require_max_length("note", note, 400)
    try:
        cleaned = pricing.clean_answers(answers)
    except pricing.PricingError as exc:
        raise invalid(f"answers.{exc.field}", exc.message) from None

    def inspect(t: TradeIn) -> None:
        _state(t, Status.RECEIVED)
        value = pricing.value_of(Money(t.base_value_minor, t.currency), cleaned).amount_minor
        now = clock.now()
        t.inspected_answers, t.inspected_value_minor = cleaned, value
        t.inspected_by, t.inspected_at = actor.label[:120], now
        if value >= t.offer_minor:
            t.save()
            _credit(t, actor, t.offer_minor, decided_by=actor)
            return
        worthless = value < pricing.MINIMUM_OFFER_MINOR
        t.revised_offer_minor = 0 if worthless else value
        t.revised_expires_at = now + timedelta(days=revised_days())
        changed = [q.key for q in pricing.QUESTIONS if cleaned[q.key] != t.answers.get(q.key)]
        t.reason = (note or ("found: " + ", ".join(changed) if changed else "inspection"))[:500]
        if worthless:
            t.status, t.revised_decided_at = Status.REFUSED, now
            t.reason = f"{t.reason}; worth less than the minimum offer, nothing to offer"[:500]
        else:
            t.status = Status.REVISED
        t.updated_at = now
        t.save()
        audit_record(
            actor=actor,
            action="tradein.revised",
            target=t,
            changes={"offer_minor": [t.offer_minor, t.revised_offer_minor], "reason": t.reason},
        )
        publish(
            TradeInRevised(
                tradein_id=t.public_id,
                buyer_id=t.buyer.public_id,
                offer_minor=t.offer_minor,
                revised_offer_minor=t.revised_offer_minor,
                currency=t.currency,
                expires_at=t.revised_expires_at.isoformat(),
            )
        )

    return _step(tradein, actor, inspect, expiring=False)


def tradein_mark_returned(*, actor: Actor, tradein: TradeIn, note: str) -> TradeIn:
    """The refused item (or one whose revised offer expired) was sent back; ``note`` carries
    the return's carrier and tracking number."""
    _require_platform(actor, "returning a trade-in")
    note = (note or "").strip()
    if not note:
        raise invalid("note", "give the return's carrier and tracking number")
    require_max_length("note", note, 500)

    def mark(t: TradeIn) -> None:
        if not (t.status == Status.EXPIRED and t.received_at is not None):
            _state(t, Status.REFUSED)
        was = t.status
        t.status, t.returned_at, t.return_note = Status.RETURNED, clock.now(), note
        t.updated_at = t.returned_at
        t.save(update_fields=["status", "returned_at", "return_note", "updated_at"])
        audit_record(
            actor=actor,
            action="tradein.returned",
            target=t,
            changes={"status": [was, t.status], "note": note},
        )
        publish(TradeInReturned(tradein_id=t.public_id, buyer_id=t.buyer.public_id, note=note))

    return _step(tradein, actor, mark, expiring=False)


def tradein_expire_due() -> int:
    """The sweep: expires every quoted or revised offer past its date (one transaction each,
    under the row lock, so a buyer accepting at the same moment either wins before the date or
    sees it expired). Returns how many it expired."""
    now = clock.now()
    due = TradeIn.objects.filter(
        status=Status.QUOTED, offer_expires_at__lte=now
    ) | TradeIn.objects.filter(status=Status.REVISED, revised_expires_at__lte=now)
    expired = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            t = TradeIn.objects.select_for_update(of=("self",)).get(pk=pk)
            expired += _expire_if_due(t, SWEEP_ACTOR)
    return expired


def tradein_model_set_active(*, actor: Actor, model: TradeInModel, active: bool) -> TradeInModel:
    """Stops (or resumes) taking a model in trade; its existing trade-ins carry on."""
    _require_platform(actor, "managing trade-in models")
    with transaction.atomic():
        model = TradeInModel.objects.select_for_update().get(pk=model.pk)
        if model.active != active:
            audit_record(
                actor=actor,
                action="tradein.model_updated",
                target=model,
                changes={"active": [model.active, active]},
            )
            model.active = active
            model.save(update_fields=["active", "updated_at"])
    return model
