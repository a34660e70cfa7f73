"""Reusable packaging use cases: define a type with its cited figures, add physical packages,
pack one with a shipment, hear that the shipment was delivered, and take the empty package back
(refunding the deposit once and counting the loop).

**The deposit is money only when the buyer agreed to it at checkout** (see
:mod:`agora.circular.packaging.deposits`): a :class:`PackagingChoice` holds it in escrow on the
order's card. A package shipped with an order whose choice is ``held`` takes that deposit (the
choice becomes ``used``); a package shipped without one carries no deposit (its return is
voluntary, and still counts as a loop). The return of a package with a deposit refunds it to the
card through the hold, after the return is recorded and outside its transaction.

A refund happens once: the use is locked (``select_for_update``), its state checked, and the
database's own check (``returned`` iff ``refunded_at``) backs it, so of two concurrent returns
one refunds and the other gets ``packaging-deposit-refunded``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F

from agora.circular.models import PackagingChoice, PackagingType, PackagingUse, ReusablePackage
from agora.circular.packaging import errors
from agora.circular.packaging.calc import avoided_kg
from agora.circular.packaging.deposits import settle
from agora.circular.packaging.events import PackagingReturned, PackagingShipped
from agora.circular.packaging.factors import load_factors
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import NOT_FOUND, AgoraError, invalid
from agora.core.events import publish
from agora.core.money import Money
from agora.fulfillment.selectors import shipment_get_for_seller
from agora.marketplace.models import Seller
from agora.marketplace.permissions import require_seller_access

TYPE_SCOPE = "catalog:write"
SHIP_SCOPE = "orders:write"
MAX_PACKAGES = 500
DEFAULT_LOOP_KEY = "reusable_mailer_letter_return"


def _factor(field: str, key: str, unit: str):  # type: ignore[no-untyped-def]
    factor = load_factors().get(key)
    if factor is None:
        raise AgoraError(
            errors.PACKAGING_FACTOR_UNKNOWN,
            f"{field}: no cited factor has the key {key!r}; known: {', '.join(load_factors())}",
        )
    if factor.unit != unit:
        raise invalid(field, f"{key!r} is measured in {factor.unit}, not {unit}")
    return factor


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def packaging_type_create(
    *,
    actor: Actor,
    seller: Seller,
    name: str,
    deposit: Money,
    expected_loops: int,
    mass_grams: int,
    single_use_key: str,
    loop_key: str = DEFAULT_LOOP_KEY,
    manufacture_kg_co2e: Decimal | str = Decimal(0),
    manufacture_source: str = "",
) -> PackagingType:
    """A seller's kind of reusable package; the cited figures are copied from the factor file."""
    require_seller_access(actor, seller, TYPE_SCOPE)
    name = name.strip()
    if not name or len(name) > 100:
        raise invalid("name", "give the packaging type a name of 1 to 100 characters")
    if deposit.amount_minor < 0:
        raise invalid("deposit", f"{deposit} is negative")
    if not _positive_int(expected_loops):
        raise invalid("expected_loops", f"{expected_loops!r} is not a number of loops (1 or more)")
    if not _positive_int(mass_grams):
        raise invalid("mass_grams", f"{mass_grams!r} is not a mass in grams (1 or more)")
    single = _factor("single_use_key", single_use_key, "kg CO2e/package")
    loop = _factor("loop_key", loop_key, "kg CO2e/loop")
    try:
        manufacture = Decimal(manufacture_kg_co2e)
    except InvalidOperation:
        raise invalid("manufacture_kg_co2e", f"{manufacture_kg_co2e!r} is not a number") from None
    if not manufacture.is_finite() or manufacture < 0:
        raise invalid("manufacture_kg_co2e", f"{manufacture_kg_co2e!r} is not a kg CO2e figure")
    if manufacture and not manufacture_source.strip():
        raise invalid("manufacture_source", "a manufacture figure needs its source")
    with transaction.atomic():
        if PackagingType.objects.filter(seller=seller, name=name).exists():
            raise invalid("name", f"you already have a packaging type named {name!r}")
        ptype = PackagingType.objects.create(
            seller=seller,
            name=name,
            currency=deposit.currency,
            deposit_minor=deposit.amount_minor,
            expected_loops=expected_loops,
            mass_grams=mass_grams,
            single_use_key=single.key,
            single_use_kg_co2e=single.kg_co2e,
            single_use_source=single.source,
            loop_key=loop.key,
            loop_kg_co2e=loop.kg_co2e,
            loop_source=loop.source,
            manufacture_kg_co2e=manufacture,
            manufacture_source=manufacture_source.strip(),
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="packaging.type_created",
            target=ptype,
            seller_id=seller.pk,
            changes={"name": name, "deposit_minor": deposit.amount_minor},
        )
    return ptype


def packages_add(*, actor: Actor, ptype: PackagingType, count: int = 1) -> list[ReusablePackage]:
    """Adds ``count`` physical packages of a type, each with its own public id to print."""
    require_seller_access(actor, ptype.seller, TYPE_SCOPE)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_PACKAGES:
        raise invalid("count", f"{count!r} is not a number of packages from 1 to {MAX_PACKAGES}")
    now = clock.now()
    with transaction.atomic():
        packages = [
            ReusablePackage.objects.create(
                type=ptype, seller_id=ptype.seller_id, created_at=now, updated_at=now
            )
            for _ in range(count)
        ]
        audit_record(
            actor=actor,
            action="packaging.packages_added",
            target=ptype,
            seller_id=ptype.seller_id,
            changes={"count": count},
        )
    return packages


def packaging_ship(
    *, actor: Actor, package: ReusablePackage, shipment_public_id: str
) -> PackagingUse:
    """Packs ``package`` with the seller's shipment. When the buyer paid a deposit for this order
    at checkout (a ``held`` choice), the trip takes it and the buyer gets it back on return;
    otherwise the trip carries no deposit."""
    seller = package.seller
    require_seller_access(actor, seller, SHIP_SCOPE)
    shipment = shipment_get_for_seller(seller=seller, public_id=shipment_public_id)
    if shipment is None:
        raise AgoraError(NOT_FOUND, f"{seller.display_name} has no shipment {shipment_public_id}")
    with transaction.atomic():
        locked = (
            ReusablePackage.objects.select_for_update(of=("self",))
            .select_related("type")
            .get(pk=package.pk)
        )
        if locked.state == ReusablePackage.State.RETIRED:
            raise AgoraError(errors.PACKAGING_RETIRED, f"{locked.public_id} is retired")
        if locked.state == ReusablePackage.State.OUT:
            raise AgoraError(
                errors.PACKAGING_IN_USE, f"{locked.public_id} is out with another shipment"
            )
        now = clock.now()
        choice = (
            PackagingChoice.objects.select_for_update(of=("self",))
            .filter(order_public_id=shipment.order.public_id, status=PackagingChoice.Status.HELD)
            .first()
        )
        use = PackagingUse.objects.create(
            package=locked,
            seller=seller,
            buyer_id=shipment.order.buyer_id,
            shipment_public_id=shipment.public_id,
            order_public_id=shipment.order.public_id,
            currency=choice.currency if choice else locked.type.currency,
            deposit_minor=choice.deposit_minor if choice else 0,
            shipped_at=now,
        )
        if choice is not None:
            choice.status, choice.use, choice.used_at = PackagingChoice.Status.USED, use, now
            choice.save(update_fields=["status", "use", "used_at"])
        locked.state, locked.updated_at = ReusablePackage.State.OUT, now
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="packaging.shipped",
            target=use,
            seller_id=seller.pk,
            changes={"package": locked.public_id, "shipment": shipment.public_id},
        )
        publish(
            PackagingShipped(
                use_id=use.public_id,
                package_id=locked.public_id,
                shipment_id=shipment.public_id,
                order_id=shipment.order.public_id,
                seller_id=seller.public_id,
                deposit_minor=use.deposit_minor,
                currency=use.currency,
            )
        )
    return use


def packaging_delivered(*, shipment_public_id: str, at: datetime) -> int:
    """Notes that the packages of a shipment reached the buyer (from ``shipment.updated``).
    Idempotent: only uses without a delivery time are touched; returns how many."""
    return PackagingUse.objects.filter(
        shipment_public_id=shipment_public_id, delivered_at__isnull=True
    ).update(delivered_at=at)


def packaging_return(*, actor: Actor, use: PackagingUse, via: str) -> PackagingUse:
    """The empty package is back (at a pick-up point or by courier): the package's loop is
    counted, the emissions avoided on this loop recorded and the deposit the buyer paid at
    checkout refunded to their card (after this transaction; a provider failure is retried by
    the sweep). A second return of the same use is refused with ``packaging-deposit-refunded``.
    A package back after its deposit was kept counts its loop but refunds nothing."""
    require_seller_access(actor, use.seller, SHIP_SCOPE)
    if via not in PackagingUse.Channel.values:
        raise invalid("via", f"{via!r} is not one of {', '.join(PackagingUse.Channel.values)}")
    with transaction.atomic():
        locked = (
            PackagingUse.objects.select_for_update(of=("self",))
            .select_related("package__type", "seller")
            .get(pk=use.pk)
        )
        if locked.state == PackagingUse.State.RETURNED:
            if not locked.deposit_minor:
                raise AgoraError(
                    errors.PACKAGING_DEPOSIT_REFUNDED,
                    f"{locked.package.public_id} with {locked.shipment_public_id} was returned "
                    f"already, on {locked.refunded_at:%Y-%m-%d} (it carried no deposit); a "
                    "return is recorded once",
                )
            raise AgoraError(
                errors.PACKAGING_DEPOSIT_REFUNDED,
                f"the deposit of {Money(locked.deposit_minor, locked.currency)} for "
                f"{locked.package.public_id} with {locked.shipment_public_id} was refunded "
                f"already, on {locked.refunded_at:%Y-%m-%d}; it is not refunded twice",
            )
        ptype = locked.package.type
        now = clock.now()
        locked.state = PackagingUse.State.RETURNED
        locked.returned_via, locked.refunded_at = via, now
        locked.kg_co2e_avoided = avoided_kg(
            loops=1,
            single_use_kg=ptype.single_use_kg_co2e,
            loop_kg=ptype.loop_kg_co2e,
            manufacture_kg=ptype.manufacture_kg_co2e,
            expected_loops=ptype.expected_loops,
        )
        locked.save(update_fields=["state", "returned_via", "refunded_at", "kg_co2e_avoided"])
        choice = (
            PackagingChoice.objects.select_for_update(of=("self",))
            .select_related("seller")
            .filter(use=locked)
            .first()
        )
        refunding = choice is not None and choice.status == PackagingChoice.Status.USED
        if refunding:
            choice.status, choice.closed_at = PackagingChoice.Status.REFUNDED, now
            choice.save(update_fields=["status", "closed_at"])
        ReusablePackage.objects.filter(pk=locked.package_id).update(
            loops=F("loops") + 1, state=ReusablePackage.State.AVAILABLE, updated_at=now
        )
        loops = ReusablePackage.objects.values_list("loops", flat=True).get(pk=locked.package_id)
        audit_record(
            actor=actor,
            action="packaging.returned",
            target=locked,
            seller_id=locked.seller_id,
            changes={
                "via": via,
                "refunded_minor": locked.deposit_minor if refunding else 0,
                "loops": loops,
            },
        )
        publish(
            PackagingReturned(
                use_id=locked.public_id,
                package_id=locked.package.public_id,
                seller_id=locked.seller.public_id,
                via=via,
                deposit_minor=locked.deposit_minor if refunding else 0,
                currency=locked.currency,
                loops=loops,
                kg_co2e_avoided=str(locked.kg_co2e_avoided),
            )
        )
    if refunding:
        settle(actor, choice)
    return locked


def package_retire(*, actor: Actor, package: ReusablePackage) -> ReusablePackage:
    """Takes a worn-out or lost package out of circulation (its loops stay counted)."""
    require_seller_access(actor, package.seller, TYPE_SCOPE)
    with transaction.atomic():
        locked = ReusablePackage.objects.select_for_update().get(pk=package.pk)
        if locked.state == ReusablePackage.State.OUT:
            raise AgoraError(errors.PACKAGING_IN_USE, f"{locked.public_id} is still out")
        locked.state, locked.updated_at = ReusablePackage.State.RETIRED, clock.now()
        locked.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor, action="packaging.retired", target=locked, seller_id=locked.seller_id
        )
    return locked
