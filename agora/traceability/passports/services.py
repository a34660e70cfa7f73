"""Every write of passports, lots, serialised items and authenticity certificates.

Keyword-only, one transaction each, validation before the first write, an audit entry per
change. Certificates are appended to the transparency log in the same transaction as their row,
so a certificate exists exactly when its log entry does.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from agora.accounts.models import User
from agora.catalog.models import Product, Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, AgoraError, FieldError
from agora.core.ids import new_public_id
from agora.marketplace.permissions import require_seller_access
from agora.traceability.epcis.identifiers import IdentifierError, gln_check
from agora.traceability.log.services import LogRecord, log_append
from agora.traceability.models import AuthenticityCertificate, Lot, Passport, TracedItem
from agora.traceability.passports import certificates
from agora.traceability.passports.errors import (
    CERTIFICATE_EXISTS,
    CERTIFICATE_NOT_ACTIVE,
    DUPLICATE_SERIAL,
    INVALID_PASSPORT,
    INVALID_SERIAL,
    TRANSFER_CODE_INVALID,
)
from agora.traceability.passports.identity import digital_link, gtin14, signing_key
from agora.traceability.records import log_data

TRANSFER_CODE_DAYS = 14
# GS1 AI 10 and 21 take up to 20 characters of GS1 character set 82 (GS1 General
# Specifications, figure 7.11-1).
CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$")
PASSPORT_FIELDS = {
    "origin_country",
    "origin_region",
    "origin_facility",
    "manufacturer",
    "materials",
    "certifications",
    "repair_text",
    "repair_url",
    "spare_parts_years",
    "recycling_text",
    "carbon_kg_co2e",
    "carbon_method",
    "places",
}


# --- passports ----------------------------------------------------------------------------------


def passport_update(*, actor: Actor, product: Product, changes: Mapping[str, Any]) -> Passport:
    """Creates or changes the passport of ``product``; only the fields in ``changes`` move."""
    unknown = set(changes) - PASSPORT_FIELDS
    if unknown:
        raise _invalid("changes", f"unknown passport fields {sorted(unknown)}")
    clean = _clean_passport(changes)
    with transaction.atomic():
        require_seller_access(actor, product.seller, "catalog:write")
        passport = Passport.objects.select_for_update().filter(product=product).first()
        created = passport is None
        if passport is None:
            passport = Passport(product=product)
        before = {name: getattr(passport, name) for name in clean}
        for name, value in clean.items():
            setattr(passport, name, value)
        passport.updated_at = clock.now()
        passport.save()
        audit_record(
            actor=actor,
            action="passport.created" if created else "passport.updated",
            target=passport,
            seller_id=product.seller_id,
            changes={k: [_jsonable(before[k]), _jsonable(v)] for k, v in clean.items()},
        )
    return passport


def _clean_passport(changes: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "materials":
            clean[name] = _materials(value)
        elif name == "certifications":
            clean[name] = _certifications(value)
        elif name == "origin_country":
            country = str(value or "").strip().upper()
            if country and not re.fullmatch(r"[A-Z]{2}", country):
                raise _invalid(name, f"{value!r} is not an ISO 3166-1 alpha-2 code such as DE")
            clean[name] = country
        elif name == "repair_url":
            clean[name] = _url(name, value)
        elif name == "spare_parts_years":
            clean[name] = _optional_int(name, value, 0, 50)
        elif name == "carbon_kg_co2e":
            clean[name] = _carbon(value)
        elif name == "places":
            clean[name] = _places(value)
        else:
            text = str(value or "").strip()
            limit = Passport._meta.get_field(name).max_length
            if limit and len(text) > limit:
                raise _invalid(name, f"is {len(text)} characters long; at most {limit}")
            clean[name] = text
    return clean


def _materials(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, (list, tuple)):
        raise _invalid("materials", "must be a list of {name, share_percent, recycled_percent}")
    out = []
    for i, item in enumerate(value):
        field = f"materials[{i}]"
        if not isinstance(item, Mapping) or not str(item.get("name") or "").strip():
            raise _invalid(field, "needs a name")
        share = _percent(f"{field}.share_percent", item.get("share_percent"))
        recycled = _percent(f"{field}.recycled_percent", item.get("recycled_percent", 0))
        out.append(
            {
                "name": str(item["name"]).strip(),
                "share_percent": share,
                "recycled_percent": recycled,
            }
        )
    total = sum(Decimal(str(m["share_percent"])) for m in out)
    if total > 100:
        raise _invalid("materials", f"the shares add up to {total}%, more than 100%")
    return out


def _certifications(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, (list, tuple)):
        raise _invalid(
            "certifications", "must be a list of {name, issuer, number, url, valid_until}"
        )
    out = []
    for i, item in enumerate(value):
        field = f"certifications[{i}]"
        if not isinstance(item, Mapping):
            raise _invalid(field, "must be an object")
        name, issuer = str(item.get("name") or "").strip(), str(item.get("issuer") or "").strip()
        if not name or not issuer:
            raise _invalid(field, "needs a name and an issuer")
        valid_until = str(item.get("valid_until") or "").strip()
        if valid_until:
            try:
                date.fromisoformat(valid_until)
            except ValueError:
                raise _invalid(
                    f"{field}.valid_until", f"{valid_until!r} is not a date like 2027-12-31"
                ) from None
        out.append(
            {
                "name": name,
                "issuer": issuer,
                "number": str(item.get("number") or "").strip(),
                "url": _url(f"{field}.url", item.get("url")),
                "valid_until": valid_until,
            }
        )
    return out


def _places(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _invalid("places", "must map 13-digit GLNs to place names")
    out = {}
    for gln, place in value.items():
        try:
            key = gln_check(str(gln))
        except IdentifierError as exc:
            raise _invalid(f"places.{gln}", str(exc)) from None
        text = str(place or "").strip()
        if not text or len(text) > 200:
            raise _invalid(f"places.{gln}", "needs a name of at most 200 characters")
        out[key] = text
    return out


def _percent(field: str, value: Any) -> float | int:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _invalid(field, f"{value!r} is not a number between 0 and 100") from None
    if not 0 <= number <= 100:
        raise _invalid(field, f"{value} is not between 0 and 100")
    return int(number) if number == number.to_integral_value() else float(number)


def _url(field: str, value: Any) -> str:
    text = str(value or "").strip()
    if text and (urlsplit(text).scheme not in {"http", "https"} or not urlsplit(text).netloc):
        raise _invalid(field, f"{text!r} is not an http(s) URL")
    return text


def _optional_int(field: str, value: Any, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isdigit() or not low <= int(value) <= high:
        raise _invalid(field, f"{value!r} is not a whole number from {low} to {high}")
    return int(value)


def _carbon(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise _invalid("carbon_kg_co2e", f"{value!r} is not a number of kilograms") from None
    if number < 0 or number >= Decimal("1e8"):
        raise _invalid("carbon_kg_co2e", f"{value} is not between 0 and 99999999.99")
    return number


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _invalid(field: str, message: str, problem: Any = INVALID_PASSPORT) -> AgoraError:
    return AgoraError(problem, f"{field}: {message}", [FieldError(field, message)])


# --- lots and serialised items ------------------------------------------------------------------


def lot_record(
    *,
    actor: Actor,
    variant: Variant,
    code: str,
    produced_on: date,
    quantity: int,
    best_before: date | None = None,
) -> Lot:
    """Records a production batch of ``variant`` under its lot code (GS1 AI 10)."""
    _require_gtin(variant)
    if not CSET82.fullmatch(code or ""):
        raise _invalid("code", f"{code!r} is not 1-20 characters of GS1 set 82", INVALID_SERIAL)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise _invalid("quantity", f"{quantity!r} is not a positive whole number", INVALID_SERIAL)
    if best_before is not None and best_before < produced_on:
        raise _invalid(
            "best_before", f"{best_before} is before produced_on {produced_on}", INVALID_SERIAL
        )
    with transaction.atomic():
        require_seller_access(actor, variant.seller, "catalog:write")
        if Lot.objects.filter(variant=variant, code=code).exists():
            raise AgoraError(DUPLICATE_SERIAL, f"lot {code!r} of {variant.sku} is already recorded")
        lot = Lot.objects.create(
            variant=variant,
            code=code,
            produced_on=produced_on,
            best_before=best_before,
            quantity=quantity,
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="trace.lot_recorded",
            target=lot,
            seller_id=variant.seller_id,
            changes={"variant": variant.public_id, "code": code, "quantity": quantity},
        )
    return lot


def items_serialise(
    *, actor: Actor, variant: Variant, serials: Sequence[str], lot: Lot | None = None
) -> list[TracedItem]:
    """Gives units of ``variant`` serial numbers (GS1 AI 21), all or none."""
    gtin = _require_gtin(variant)
    if not serials:
        raise _invalid("serials", "give at least one serial number", INVALID_SERIAL)
    bad = [s for s in serials if not isinstance(s, str) or not CSET82.fullmatch(s)]
    if bad:
        raise _invalid(
            "serials", f"{bad[:5]!r} are not 1-20 characters of GS1 set 82", INVALID_SERIAL
        )
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise _invalid("serials", f"{repeated[:5]!r} are given twice", INVALID_SERIAL)
    if lot is not None and lot.variant_id != variant.pk:
        raise _invalid("lot", f"lot {lot.code!r} belongs to another variant", INVALID_SERIAL)
    with transaction.atomic():
        require_seller_access(actor, variant.seller, "catalog:write")
        taken = sorted(
            TracedItem.objects.filter(gtin=gtin, serial__in=list(serials)).values_list(
                "serial", flat=True
            )
        )
        if taken:
            raise AgoraError(
                DUPLICATE_SERIAL, f"GTIN {gtin} already has serial numbers {taken[:10]!r}"
            )
        now = clock.now()
        items = [
            TracedItem(variant=variant, gtin=gtin, serial=s, lot=lot, created_at=now)
            for s in serials
        ]
        try:
            with transaction.atomic():
                TracedItem.objects.bulk_create(items)
        except IntegrityError:  # a concurrent call took one of them after our check
            raise AgoraError(
                DUPLICATE_SERIAL, f"GTIN {gtin}: a serial number was taken meanwhile"
            ) from None
        audit_record(
            actor=actor,
            action="trace.items_serialised",
            target=variant,
            seller_id=variant.seller_id,
            changes={"gtin": gtin, "count": len(items), "lot": lot.code if lot else None},
        )
    return items


def _require_gtin(variant: Variant) -> str:
    if not variant.gtin:
        raise _invalid("variant", f"{variant.sku} has no GTIN; give it one first", INVALID_SERIAL)
    return gtin14(variant.gtin)


# --- authenticity certificates ------------------------------------------------------------------


def certificate_issue(*, actor: Actor, item: TracedItem, holder: User) -> AuthenticityCertificate:
    """Issues a signed certificate that ``item`` is genuine, held by ``holder``, and logs it.

    Only the item's seller (or the platform) issues first certificates; later ones come from
    :func:`certificate_transfer_redeem`.
    """
    variant = Variant.objects.select_related("product", "seller").get(pk=item.variant_id)
    with transaction.atomic():
        require_seller_access(actor, variant.seller, "catalog:write")
        return _issue_recorded(actor=actor, item=item, variant=variant, holder=holder)


def _issue_recorded(
    *,
    actor: Actor,
    item: TracedItem,
    variant: Variant,
    holder: User,
    previous: AuthenticityCertificate | None = None,
) -> AuthenticityCertificate:
    """Issue, log and audit, inside the caller's transaction."""
    if AuthenticityCertificate.objects.filter(item=item, status="active").exists():
        raise AgoraError(
            CERTIFICATE_EXISTS, f"item {item.gtin}/{item.serial} already has a certificate"
        )
    certificate = _issue(item=item, variant=variant, holder=holder, previous=previous)
    audit_record(
        actor=actor,
        action="certificate.issued" if previous is None else "certificate.transferred",
        target=certificate,
        seller_id=variant.seller_id,
        changes={
            "item": f"{item.gtin}/{item.serial}",
            "holder": certificate.holder_ref,
            "previous": previous.public_id if previous else None,
            "log_index": certificate.log_index,
        },
    )
    return certificate


def _issue(
    *,
    item: TracedItem,
    variant: Variant,
    holder: User,
    previous: AuthenticityCertificate | None,
) -> AuthenticityCertificate:
    public_id = new_public_id("cert")
    issued_at = clock.now()
    holder_ref = certificates.holder_pseudonym(holder.public_id)
    lot_code = Lot.objects.filter(pk=item.lot_id).values_list("code", flat=True).first()
    data = certificates.payload(
        certificate_id=public_id,
        gtin=item.gtin,
        serial=item.serial,
        lot=lot_code,
        product_title=variant.product.title,
        seller=variant.seller.display_name,
        holder=holder_ref,
        issued_at=issued_at,
        digital_link=digital_link(gtin=item.gtin, serial=item.serial),
        previous=previous.public_id if previous else None,
    )
    signature, verifier_key = certificates.sign(data, signing_key())
    logged = log_data(kind=certificates.LOG_KIND, ref=public_id, record=json.loads(data))
    (index,) = log_append(
        entries=[LogRecord(kind=certificates.LOG_KIND, ref=public_id, data=logged)]
    )
    return AuthenticityCertificate.objects.create(
        public_id=public_id,
        item=item,
        holder=holder,
        holder_ref=holder_ref,
        issued_at=issued_at,
        payload=data,
        signature=signature,
        verifier_key=verifier_key,
        log_index=index,
        previous=previous,
    )


def certificate_transfer_start(*, actor: Actor, certificate: AuthenticityCertificate) -> str:
    """A one-time code the holder gives a resale buyer (shown once; only its hash is kept).

    Starting again replaces the earlier code, so a code given to a buyer who backed out stops
    working.
    """
    with transaction.atomic():
        cert = AuthenticityCertificate.objects.select_for_update().get(pk=certificate.pk)
        if actor.kind != "system" and (actor.user_id is None or actor.user_id != cert.holder_id):
            raise AgoraError(FORBIDDEN, "only the holder of a certificate can transfer it")
        if cert.status != AuthenticityCertificate.Status.ACTIVE:
            raise AgoraError(
                CERTIFICATE_NOT_ACTIVE, f"certificate {cert.public_id} is {cert.status}"
            )
        code = certificates.new_transfer_code()
        cert.transfer_code_hash = certificates.code_hash(code)
        cert.transfer_expires_at = clock.now() + timedelta(days=TRANSFER_CODE_DAYS)
        cert.save(update_fields=["transfer_code_hash", "transfer_expires_at"])
        audit_record(actor=actor, action="certificate.transfer_started", target=cert)
    certificate.transfer_code_hash = cert.transfer_code_hash
    certificate.transfer_expires_at = cert.transfer_expires_at
    return code


def certificate_transfer_redeem(
    *, actor: Actor, code: str, new_holder: User
) -> AuthenticityCertificate:
    """The resale buyer's side: the code moves the certificate to them. The old certificate is
    marked transferred and a new one, pointing back to it, is signed and logged."""
    digest = certificates.code_hash(code or "")
    with transaction.atomic():
        cert = (
            AuthenticityCertificate.objects.select_for_update()
            .filter(transfer_code_hash=digest, status=AuthenticityCertificate.Status.ACTIVE)
            .first()
        )
        if (
            cert is None
            or not code
            or (cert.transfer_expires_at is not None and cert.transfer_expires_at < clock.now())
        ):
            raise AgoraError(TRANSFER_CODE_INVALID, "that transfer code is unknown or has expired")
        cert.status = AuthenticityCertificate.Status.TRANSFERRED
        cert.transfer_code_hash = ""
        cert.transfer_expires_at = None
        cert.save(update_fields=["status", "transfer_code_hash", "transfer_expires_at"])
        item = TracedItem.objects.get(pk=cert.item_id)
        variant = Variant.objects.select_related("product", "seller").get(pk=item.variant_id)
        return _issue_recorded(
            actor=actor, item=item, variant=variant, holder=new_holder, previous=cert
        )
