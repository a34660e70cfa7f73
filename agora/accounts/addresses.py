"""A buyer's address book: saved delivery addresses to pick at checkout.

Only the owner reads or changes their addresses: every service takes the acting ``user`` and
looks the address up among that user's rows, so another buyer's address is "not found". At most
one address is the default (a partial unique constraint); making one the default clears the
others in the same transaction, with the user's row locked so two devices cannot both win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pycountry
from django.db import transaction

from agora.accounts.models import Address, User
from agora.accounts.services import actor_for_user
from agora.core import clock
from agora.core.audit import audit_record
from agora.core.errors import invalid, not_found
from agora.core.ids import is_public_id
from agora.marketplace.vat import VatIdError, normalize_vat_id

MAX_ADDRESSES = 20  # per buyer; an address book, not a mailing list


@dataclass(frozen=True, slots=True)
class AddressInput:
    """What a buyer types; :func:`clean_address` checks and normalises it."""

    name: str
    line1: str
    city: str
    country: str
    postcode: str = ""
    line2: str = ""
    region: str = ""
    company: str = ""
    phone: str = ""
    vat_id: str = ""
    label: str = ""


# The column sizes these fields had before they were sealed; the sealed record keeps the limits.
_LIMITS = {
    "name": 100,
    "line1": 200,
    "city": 100,
    "country": 2,
    "postcode": 20,
    "line2": 200,
    "region": 100,
    "company": 100,
    "phone": 40,
    "vat_id": 32,
    "label": 60,
}
_REQUIRED = ("name", "line1", "city", "country")


def clean_address(data: AddressInput) -> dict[str, str]:
    """The address as it will be stored: trimmed, country upper-case and known to ISO 3166,
    postcode upper-case, VAT id normalised (and valid for its country prefix). Raises a
    validation error naming the first field at fault."""
    values = {name: (getattr(data, name) or "").strip() for name in _LIMITS}
    for name in _REQUIRED:
        if not values[name]:
            raise invalid(name, "is required")
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit:
            raise invalid(name, f"is {len(values[name])} characters long; at most {limit}")
    country = values["country"].upper()
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise invalid("country", f"{values['country']!r} is not an ISO 3166-1 alpha-2 code")
    values["country"] = country
    values["postcode"] = values["postcode"].upper()
    if values["vat_id"]:
        prefix = values["vat_id"][:2].upper()
        country_of_id = "GR" if prefix == "EL" else prefix
        try:
            values["vat_id"] = normalize_vat_id(country_of_id, values["vat_id"])
        except VatIdError as exc:
            raise invalid("vat_id", str(exc)) from exc
    return values


def address_list(*, user: User) -> list[Address]:
    """The user's addresses, the default first."""
    return list(Address.objects.filter(user=user))


def address_get(*, user: User, public_id: str) -> Address | None:
    """The user's address, or None when it does not exist or is someone else's."""
    if not is_public_id(public_id, "adr"):
        return None
    return Address.objects.filter(user=user, public_id=public_id).first()


def _require(user: User, public_id: str) -> Address:
    address = address_get(user=user, public_id=public_id)
    if address is None:
        raise not_found("address", public_id)
    return address


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _clear_default(user: User, keep: int | None = None) -> None:
    Address.objects.filter(user=user, is_default=True).exclude(pk=keep).update(is_default=False)


def address_create(*, user: User, data: AddressInput, make_default: bool = False) -> Address:
    """Saves an address for ``user``. The first address becomes the default."""
    values = clean_address(data)
    with transaction.atomic():
        _lock_user(user)
        count = Address.objects.filter(user=user).count()
        if count >= MAX_ADDRESSES:
            raise invalid("address", f"an address book holds at most {MAX_ADDRESSES} addresses")
        default = make_default or count == 0
        if default:
            _clear_default(user)
        now = clock.now()
        address = Address(
            user=user,
            label=values["label"],
            country=values["country"],
            is_default=default,
            created_at=now,
            updated_at=now,
        )
        address.seal(values)
        address.save()
        audit_record(
            actor=actor_for_user(user),
            action="address.created",
            target=address,
            changes={"country": values["country"], "default": default},
        )
    return address


def address_update(
    *, user: User, public_id: str, data: AddressInput, make_default: bool = False
) -> Address:
    """Replaces the fields of one of ``user``'s addresses."""
    values = clean_address(data)
    with transaction.atomic():
        _lock_user(user)
        address = _require(user, public_id)
        if make_default and not address.is_default:
            _clear_default(user, keep=address.pk)
            address.is_default = True
        address.label, address.country = values["label"], values["country"]
        address.seal(values)
        address.updated_at = clock.now()
        address.save()
        audit_record(
            actor=actor_for_user(user),
            action="address.updated",
            target=address,
            changes={"country": values["country"], "default": address.is_default},
        )
    return address


def address_set_default(*, user: User, public_id: str) -> Address:
    with transaction.atomic():
        _lock_user(user)
        address = _require(user, public_id)
        if not address.is_default:
            _clear_default(user, keep=address.pk)
            address.is_default, address.updated_at = True, clock.now()
            address.save(update_fields=["is_default", "updated_at"])
            audit_record(actor=actor_for_user(user), action="address.default", target=address)
    return address


def address_delete(*, user: User, public_id: str) -> None:
    """Deletes one of ``user``'s addresses; when it was the default, the oldest remaining one
    becomes the default, so a buyer with addresses always has one."""
    with transaction.atomic():
        _lock_user(user)
        address = _require(user, public_id)
        was_default = address.is_default
        audit_record(actor=actor_for_user(user), action="address.deleted", target=address)
        address.delete()
        if was_default:
            nxt = Address.objects.filter(user=user).order_by("created_at", "id").first()
            if nxt is not None:
                nxt.is_default = True
                nxt.save(update_fields=["is_default"])


def address_as_ship_to(address: Address | Mapping[str, str]) -> dict[str, str]:
    """The address in the shape orders keep (``Order.ship_to``): the non-empty fields only."""
    keys = ("name", "company", "line1", "line2", "city", "region", "postcode", "country", "phone")
    get = address.get if isinstance(address, Mapping) else lambda k: getattr(address, k)
    return {k: str(get(k) or "") for k in keys if get(k)}
