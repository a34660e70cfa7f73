"""A production batch recorded by a seller: the lot (part D's ``lot_record``) and its EPCIS
commissioning event, written together or not at all.

The event is an ObjectEvent ADD, bizStep ``commissioning``, disposition ``active``, whose
quantity list names the batch as an LGTIN class (``urn:epc:class:lgtin:<prefix>.<item>.<lot>``).
An EPC URN splits the GTIN at the end of the GS1 company prefix, which the GTIN alone does not
tell; the seller may give its prefix, otherwise the common 7-digit length is assumed (the GTIN
read back from the URN is the same either way, so queries and passports find the batch).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import quote

from django.db import transaction

from agora.catalog.models import Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.core.errors import invalid
from agora.marketplace.permissions import require_seller_access
from agora.traceability.capture.commerce import country_uri, epcis_document, seller_uri
from agora.traceability.capture.services import CaptureResult, epcis_capture
from agora.traceability.epcis.identifiers import IdentifierError, gln_check, gtin_normalise
from agora.traceability.passports.services import lot_record

__all__ = ["BatchResult", "batch_record", "commissioning_event", "lgtin_class", "place_uri"]

DEFAULT_PREFIX_LENGTH = 7
_NAMESPACE = uuid.UUID("0c3b1d6e-5f1a-4b8e-a0d2-7e94c1f3a8b5")
# Characters an EPC URN component may hold unescaped (TDS 2.x, §6.3.2 table).
_EPC_SAFE = "!'()*+,-.:;=_"


@dataclass(frozen=True)
class BatchResult:
    lot_id: str
    capture: CaptureResult


def lgtin_class(*, gtin: str, lot: str, company_prefix: str = "") -> str:
    """The LGTIN class URN of a GTIN's lot; ``company_prefix`` (6-12 digits, the start of the
    GTIN after its indicator digit) says where to split, else 7 digits are assumed."""
    g14 = gtin_normalise(gtin)
    prefix = company_prefix or g14[1 : 1 + DEFAULT_PREFIX_LENGTH]
    if not re.fullmatch(r"\d{6,12}", prefix) or not g14[1:13].startswith(prefix):
        raise invalid(
            "company_prefix",
            f"{company_prefix!r} is not 6-12 digits that begin GTIN {g14} after its first digit",
        )
    item = g14[0] + g14[1 + len(prefix) : 13]
    return f"urn:epc:class:lgtin:{prefix}.{item}.{quote(lot, safe=_EPC_SAFE)}"


def place_uri(place: str, *, seller_public_id: str) -> str:
    """Where the batch was made as a URI: a GLN (as its GS1 Digital Link), a web address, an
    ISO country code, or — left blank — the seller."""
    text = place.strip()
    if not text:
        return seller_uri(seller_public_id)
    if text.isdigit():
        try:
            return f"https://id.gs1.org/414/{gln_check(text)}"
        except IdentifierError as exc:
            raise invalid("place", str(exc)) from None
    if re.fullmatch(r"https?://[^\s]+", text):
        return text
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return country_uri(text)
    raise invalid("place", f"{text!r} is not a GLN, an http(s) address or a country code")


def commissioning_event(
    *, epc_class: str, quantity: int, produced_on: date, lot: str, place: str
) -> dict[str, Any]:
    """The commissioning ObjectEvent of a batch (its id derives from the class, so the same
    batch recorded twice is the same event)."""
    return {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid5(_NAMESPACE, epc_class)}",
        "eventTime": datetime.combine(produced_on, time(0), UTC).isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "quantityList": [{"epcClass": epc_class, "quantity": quantity}],
        "readPoint": {"id": place},
        "bizLocation": {"id": place},
        "ilmd": {"cbvmda:lotNumber": lot},
    }


def batch_record(
    *,
    actor: Actor,
    variant: Variant,
    lot: str,
    quantity: int,
    produced_on: date,
    place: str = "",
    company_prefix: str = "",
) -> BatchResult:
    """Records the lot and captures its commissioning event in one transaction."""
    require_seller_access(actor, variant.seller, "catalog:write")
    if not variant.gtin:
        raise invalid("variant", f"{variant.sku} has no GTIN; give it one first")
    if produced_on > clock.now().date():
        raise invalid("produced_on", f"{produced_on} is in the future")
    epc_class = lgtin_class(gtin=variant.gtin, lot=lot, company_prefix=company_prefix)
    where = place_uri(place, seller_public_id=variant.seller.public_id)
    event = commissioning_event(
        epc_class=epc_class, quantity=quantity, produced_on=produced_on, lot=lot, place=where
    )
    with transaction.atomic():
        recorded = lot_record(
            actor=actor, variant=variant, code=lot, produced_on=produced_on, quantity=quantity
        )
        result = epcis_capture(
            seller=variant.seller,
            raw=epcis_document([event], created=clock.now()),
            source="upload",
            actor=actor,
        )
    return BatchResult(lot_id=recorded.public_id, capture=result)
