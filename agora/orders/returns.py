"""Use cases of returns: request, approve or reject, receive (restock or write off), refunded.

Units in a return that is requested, approved or received count in the order line's
``returned_quantity`` from the moment of the request, so two requests can never together send
back more than was bought; a rejection gives the units back. Restocked goods go back through
inventory's service (a movement in the stock ledger at the chosen location); written-off goods
are only recorded. Payments refunds on ``return.received`` and then calls
:func:`return_mark_refunded`. Locks: the order row first, then its lines by primary key (the
rule of :mod:`agora.orders.services`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from agora.core import clock
from agora.core.actors import Actor, system
from agora.core.audit import audit_record
from agora.core.errors import INVALID_TRANSITION, AgoraError, FieldError, invalid, not_found
from agora.core.events import publish
from agora.core.money import Money
from agora.inventory.models import StockLocation
from agora.inventory.services import stock_adjust
from agora.marketplace.permissions import require_seller_access
from agora.orders import errors
from agora.orders.events import ReturnReceived, ReturnRequested
from agora.orders.models import Order, OrderLine, OrderReturn, OrderReturnLine
from agora.orders.services import is_buyer_of, order_record_refund
from agora.orders.states import RETURNABLE, OrderState, ReturnState, return_refusal
from agora.orders.transitions import line_quantities

Reason = OrderReturn.Reason
Disposition = OrderReturnLine.Disposition


@dataclass(frozen=True, slots=True)
class ReturnLineDraft:
    line_no: int
    quantity: int


@dataclass(frozen=True, slots=True)
class ReturnReceipt:
    """What the seller decided for one line of a return when the goods came back."""

    line_no: int
    disposition: str  # restock | write_off
    condition: str = ""  # as_new | opened | damaged
    location: StockLocation | None = None  # where restocked goods go (restock only)


def _requester(actor: Actor, order: Order) -> str:
    if is_buyer_of(actor, order):
        return OrderReturn.RequestedBy.BUYER
    require_seller_access(actor, order.seller, "orders:write")
    return OrderReturn.RequestedBy.SELLER


def return_request(
    *,
    actor: Actor,
    order: Order,
    lines: Sequence[ReturnLineDraft],
    reason_code: str,
    details: str = "",
) -> OrderReturn:
    """Opens a return for some units of a delivered (or, by the seller, completed) order.
    Refuses more units than bought minus those already returned or in an open return."""
    if reason_code not in Reason.values:
        raise invalid("reason_code", f"{reason_code!r} is not one of {', '.join(Reason.values)}")
    details = (details or "").strip()
    if len(details) > 2000:
        raise invalid("details", "must be at most 2000 characters")
    wanted = line_quantities(lines)
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",)).select_related("seller").get(pk=order.pk)
        )
        requested_by = _requester(actor, order)
        allowed = (
            {OrderState.DELIVERED} if requested_by == OrderReturn.RequestedBy.BUYER else RETURNABLE
        )
        if order.status not in allowed:
            raise AgoraError(
                INVALID_TRANSITION,
                f"order {order.public_id} is {order.status}; a return can be requested when it "
                f"is {' or '.join(sorted(allowed))}",
            )
        by_no = {line.line_no: line for line in order.lines.select_for_update().order_by("pk")}
        for i, (line_no, quantity) in enumerate(wanted.items()):
            line = by_no.get(line_no)
            if line is None:
                raise invalid(
                    f"lines[{i}].line_no", f"order {order.public_id} has no line {line_no}"
                )
            left = line.quantity - line.returned_quantity
            if quantity > left:
                raise AgoraError(
                    errors.OVER_RETURNED,
                    f"order {order.public_id} line {line_no} ({line.sku}): {line.quantity} "
                    f"bought, {line.returned_quantity} returned or in a return; at most {left} "
                    f"can be returned, not {quantity}",
                    [FieldError(f"lines[{i}].quantity", f"must be at most {left}")],
                )
            line.returned_quantity += quantity
        touched = [by_no[n] for n in wanted]
        OrderLine.objects.bulk_update(touched, ["returned_quantity"])
        now = clock.now()
        ret = OrderReturn.objects.create(
            order=order,
            status=ReturnState.REQUESTED,
            reason_code=reason_code,
            details=details,
            requested_by=requested_by,
            created_at=now,
            status_changed_at=now,
        )
        OrderReturnLine.objects.bulk_create(
            OrderReturnLine(order_return=ret, line=by_no[n], quantity=q) for n, q in wanted.items()
        )
        audit_record(
            actor=actor,
            action="return.requested",
            target=ret,
            seller_id=order.seller_id,
            changes={"order": order.public_id, "reason_code": reason_code, "lines": wanted},
        )
        publish(
            ReturnRequested(
                return_id=ret.public_id,
                order_id=order.public_id,
                seller_id=order.seller.public_id,
                requested_by=requested_by,
                reason_code=reason_code,
                lines=[
                    {"line_no": n, "sku": by_no[n].sku, "quantity": q} for n, q in wanted.items()
                ],
            )
        )
    return ret


def _locked(order_return: OrderReturn) -> OrderReturn:
    return (
        OrderReturn.objects.select_for_update(of=("self",))
        .select_related("order__seller")
        .get(pk=order_return.pk)
    )


def _move(ret: OrderReturn, target: ReturnState, *, actor: Actor, **changes: object) -> None:
    current = ReturnState(ret.status)
    refusal = return_refusal(current, target)
    if refusal:
        raise AgoraError(INVALID_TRANSITION, f"return {ret.public_id}: {refusal}")
    ret.status, ret.status_changed_at = target, clock.now()
    for name, value in changes.items():
        setattr(ret, name, value)
    ret.save(update_fields=["status", "status_changed_at", *changes])
    audit_record(
        actor=actor,
        action=f"return.{target}",
        target=ret,
        seller_id=ret.order.seller_id,
        changes={"status": [current, target], **changes},
    )


def _note(name: str, text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if (required and not text) or len(text) > 300:
        raise invalid(name, f"must be {'1' if required else '0'} to 300 characters")
    return text


def return_approve(*, actor: Actor, order_return: OrderReturn, note: str = "") -> OrderReturn:
    """The seller accepts the return: the buyer may send the goods."""
    note = _note("note", note, required=False)
    with transaction.atomic():
        ret = _locked(order_return)
        require_seller_access(actor, ret.order.seller, "orders:write")
        _move(ret, ReturnState.APPROVED, actor=actor, decision_note=note)
    return ret


def return_reject(*, actor: Actor, order_return: OrderReturn, reason: str) -> OrderReturn:
    """The seller refuses the return (with a reason); its units can be returned again."""
    reason = _note("reason", reason, required=True)
    with transaction.atomic():
        ret = _locked(order_return)
        require_seller_access(actor, ret.order.seller, "orders:write")
        Order.objects.select_for_update().filter(pk=ret.order_id).first()
        _move(ret, ReturnState.REJECTED, actor=actor, decision_note=reason)
        rows = list(ret.lines.select_related("line").order_by("line_id"))
        lines = list(OrderLine.objects.select_for_update().filter(pk__in=[r.line_id for r in rows]))
        given_back = {r.line_id: r.quantity for r in rows}
        for line in lines:
            line.returned_quantity -= given_back[line.pk]
        OrderLine.objects.bulk_update(lines, ["returned_quantity"])
    return ret


def return_receive(
    *, actor: Actor, order_return: OrderReturn, lines: Sequence[ReturnReceipt]
) -> OrderReturn:
    """The goods of an approved return arrived: each line is restocked at a location of the
    seller (a stock movement through inventory) or written off (recorded, stock unchanged).
    Every line of the return needs exactly one decision. Publishes ``return.received``."""
    with transaction.atomic():
        ret = _locked(order_return)
        order = ret.order
        require_seller_access(actor, order.seller, "orders:write")
        rows = {r.line.line_no: r for r in ret.lines.select_related("line__variant__product")}
        decided = {d.line_no: (i, d) for i, d in enumerate(lines)}
        if len(decided) != len(lines) or set(decided) != set(rows):
            expected = ", ".join(str(n) for n in sorted(rows))
            raise invalid("lines", f"give one decision for each line of the return: {expected}")
        _move(ret, ReturnState.RECEIVED, actor=actor)
        value = Money.zero(order.currency)
        for line_no, (i, d) in sorted(decided.items()):
            row = rows[line_no]
            _decide(actor, ret, row, d, f"lines[{i}]")
            value += _value(row.line, row.quantity, order.currency)
        publish(
            ReturnReceived(
                return_id=ret.public_id,
                order_id=order.public_id,
                seller_id=order.seller.public_id,
                currency=order.currency,
                lines=[
                    {
                        "line_no": n,
                        "quantity": rows[n].quantity,
                        "disposition": rows[n].disposition,
                        "value_minor": _value(
                            rows[n].line, rows[n].quantity, order.currency
                        ).amount_minor,
                    }
                    for n in sorted(rows)
                ],
                value_minor=value.amount_minor,
            )
        )
    return ret


def _value(line: OrderLine, quantity: int, currency: str) -> Money:
    """The price paid for ``quantity`` units of ``line`` (its discount spread evenly)."""
    return Money(line.total_minor, currency) * (Decimal(quantity) / Decimal(line.quantity))


def _decide(
    actor: Actor, ret: OrderReturn, row: OrderReturnLine, d: ReturnReceipt, at: str
) -> None:
    if d.disposition not in Disposition.values:
        raise invalid(f"{at}.disposition", f"{d.disposition!r} is not one of restock, write_off")
    if d.condition and d.condition not in OrderReturnLine.Condition.values:
        values = ", ".join(OrderReturnLine.Condition.values)
        raise invalid(f"{at}.condition", f"{d.condition!r} is not one of {values}")
    location = d.location
    if d.disposition == Disposition.RESTOCK:
        if location is None:
            raise invalid(f"{at}.location", "restocked goods need a stock location")
        if location.seller_id != ret.order.seller_id:
            raise not_found("stock location", location.public_id)
        variant = row.line.variant
        if variant is None:
            raise invalid(f"{at}.disposition", "the line's variant no longer exists; write it off")
        stock_adjust(
            actor=actor,
            location=location,
            variant=variant,
            quantity=row.quantity,
            reason=f"return {ret.public_id} restocked",
            reference=ret.public_id,
        )
    else:
        location = None
    row.disposition, row.condition, row.location = d.disposition, d.condition, location
    row.save(update_fields=["disposition", "condition", "location"])


def return_mark_refunded(
    *, order_return: OrderReturn, amount_minor: int, refund_ref: str, actor: Actor | None = None
) -> OrderReturn:
    """received → refunded, called by payments after it refunded ``amount_minor`` for the
    return; records the refund on the order too (which may become ``refunded``). Calling it
    again for a refunded return with the same amount changes nothing."""
    actor = actor or system("payments")
    with transaction.atomic():
        ret = _locked(order_return)
        if ret.status == ReturnState.REFUNDED and ret.refunded_minor == amount_minor:
            return ret
        _move(ret, ReturnState.REFUNDED, actor=actor, refunded_minor=amount_minor)
        order_record_refund(
            order=ret.order, amount_minor=amount_minor, refund_ref=refund_ref, actor=actor
        )
    return ret
