"""Reads for the resolver and the passport page: what a Digital Link names, and everything its
passport shows, in a fixed number of queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from agora.accounts.models import User
from agora.catalog.models import Product, ProductMedia, Variant
from agora.marketplace.models import Seller
from agora.traceability.log.selectors import record_source
from agora.traceability.models import AuthenticityCertificate, Lot, Passport, TracedItem
from agora.traceability.passports import certificates


@dataclass(frozen=True)
class Resolution:
    """What a Digital Link names on this site.

    ``serial_unknown``/``lot_unknown`` say the URI asked for an item or lot we do not know and
    the answer comes from the less specific GTIN entry (GS1 resolvers fall back this way).
    """

    gtin: str
    variant: Variant
    product: Product
    item: TracedItem | None = None
    lot: Lot | None = None
    serial_asked: str | None = None
    lot_asked: str | None = None
    passport: Passport | None = None

    @property
    def serial_unknown(self) -> bool:
        return self.serial_asked is not None and self.item is None

    @property
    def lot_unknown(self) -> bool:
        return self.lot_asked is not None and self.lot is None and self.item is None

    @property
    def fell_back(self) -> bool:
        return self.serial_unknown or self.lot_unknown


def _gtin_spellings(gtin14: str) -> list[str]:
    """The shorter GTINs a 14-digit one may have been stored as (leading zeros dropped)."""
    return [gtin14, gtin14[1:], gtin14[2:], gtin14[6:]]


def variant_by_gtin(gtin14: str) -> Variant | None:
    """The published variant with this GTIN (stored as 8, 12, 13 or 14 digits)."""
    candidates = (
        Variant.objects.filter(
            gtin__in=_gtin_spellings(gtin14), product__status=Product.Status.PUBLISHED
        )
        .select_related("product", "seller")
        .order_by("id")
    )
    for variant in candidates:
        if variant.gtin.zfill(14) == gtin14:
            return variant
    return None


def resolve(*, gtin: str, serial: str | None = None, lot: str | None = None) -> Resolution | None:
    """What ``/01/<gtin>[/10/<lot>][/21/<serial>]`` names, or None for an unknown GTIN."""
    variant = variant_by_gtin(gtin)
    if variant is None:
        return None
    item = found_lot = None
    if serial is not None:
        item = (
            TracedItem.objects.filter(gtin=gtin, serial=serial, variant=variant)
            .select_related("lot")
            .first()
        )
        if item is not None and item.lot is not None:
            found_lot = item.lot
    if lot is not None and found_lot is None:
        found_lot = Lot.objects.filter(variant=variant, code=lot).first()
    passport = Passport.objects.filter(product_id=variant.product_id).first()
    return Resolution(
        gtin=gtin,
        variant=variant,
        product=variant.product,
        item=item,
        lot=found_lot,
        serial_asked=serial,
        lot_asked=lot,
        passport=passport,
    )


@dataclass
class CertificateView:
    public_id: str
    status: str
    holder_ref: str
    issued_at: Any
    log_index: int | None
    signature_ok: bool
    note: str
    is_yours: bool
    chain: list[str] = field(default_factory=list)
    record: Any = None  # the signed payload as JSON: what the log holds for this certificate


def certificate_for(item: TracedItem, *, viewer_id: int | None = None) -> CertificateView | None:
    """The item's active certificate, its signature checked, and who held it before."""
    cert = AuthenticityCertificate.objects.filter(
        item=item, status=AuthenticityCertificate.Status.ACTIVE
    ).first()
    if cert is None:
        return None
    return certificate_view(cert, viewer_id=viewer_id)


def certificate_get(public_id: str) -> AuthenticityCertificate | None:
    return (
        AuthenticityCertificate.objects.filter(public_id=public_id)
        .select_related("item", "item__variant", "item__variant__product")
        .first()
    )


def certificate_view(cert: AuthenticityCertificate, *, viewer_id: int | None) -> CertificateView:
    payload, signature = bytes(cert.payload), bytes(cert.signature)
    chain: list[str] = []
    previous_id = cert.previous_id
    while previous_id is not None and len(chain) < 50:
        row = (
            AuthenticityCertificate.objects.filter(pk=previous_id)
            .values("public_id", "previous_id")
            .first()
        )
        if row is None:
            break
        chain.append(row["public_id"])
        previous_id = row["previous_id"]
    return CertificateView(
        public_id=cert.public_id,
        status=cert.status,
        holder_ref=cert.holder_ref,
        issued_at=cert.issued_at,
        log_index=cert.log_index,
        signature_ok=certificates.verify(payload, signature, cert.verifier_key),
        note=certificates.signed_note(payload, signature, cert.verifier_key),
        is_yours=viewer_id is not None and viewer_id == cert.holder_id,
        chain=chain,
        record=json.loads(payload),
    )


def certificates_held(user_id: int) -> list[AuthenticityCertificate]:
    """The active certificates a buyer holds (for their account page and transfer form)."""
    return list(
        AuthenticityCertificate.objects.filter(
            holder_id=user_id, status=AuthenticityCertificate.Status.ACTIVE
        )
        .select_related("item", "item__variant", "item__variant__product")
        .order_by("-issued_at")
    )


def product_image(product_id: int) -> ProductMedia | None:
    return (
        ProductMedia.objects.filter(product_id=product_id, kind=ProductMedia.Kind.IMAGE)
        .order_by("position", "id")
        .first()
    )


def seller_name(seller_id: int) -> str:
    return Seller.objects.filter(pk=seller_id).values_list("display_name", flat=True).first() or ""


def active_user(public_id: str) -> User | None:
    """The account a certificate may be issued to: an active user by public id."""
    return User.objects.filter(public_id=public_id, is_active=True).first()


def lot_of_variant(variant: Variant, code: str) -> Lot | None:
    """The variant's lot with this GS1 AI 10 code, if recorded."""
    return Lot.objects.filter(variant=variant, code=code).first()


def seller_item(*, seller: Seller, gtin14: str, serial: str) -> TracedItem | None:
    """A serialised item of one of ``seller``'s variants (another seller's is never found)."""
    return (
        TracedItem.objects.filter(gtin=gtin14, serial=serial, variant__seller=seller)
        .select_related("variant")
        .first()
    )


def items_of_variant(variant: Variant, *, limit: int = 200) -> list[TracedItem]:
    return list(
        TracedItem.objects.filter(variant=variant).select_related("lot").order_by("serial")[:limit]
    )


@record_source(certificates.LOG_KIND)
def stored_certificate(public_id: str) -> dict[str, Any] | None:
    """The certificate payload as stored (bundles show it next to the bytes the log holds)."""
    payload = (
        AuthenticityCertificate.objects.filter(public_id=public_id)
        .values_list("payload", flat=True)
        .first()
    )
    return None if payload is None else json.loads(bytes(payload))
