"""The demo store's traceability: a digital product passport for every demo product, serialised
e-bikes and bags, two batches, an authenticity certificate held by a demo buyer, the EPCIS
journey of the certified bike and of a tea batch, and a signed log head at the end.

:func:`traceability_spec` is pure (the spec in, plain data out); :func:`build_traceability`
writes what is missing through the traceability services, so a second run writes nothing.
Origins, materials and certifications are plausible per seller and product line, not claims
about real products; certification numbers say "DEMO".
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from agora.accounts.models import User
from agora.catalog.models import Product, Variant
from agora.core import clock
from agora.core.actors import Actor
from agora.demo.data import SellerData
from agora.demo.generate import DemoSpec, ProductSpec, SellerSpec
from agora.demo.numbers import gs1_check_digit
from agora.marketplace.models import Seller
from agora.traceability.capture.services import epcis_capture
from agora.traceability.log.services import checkpoint_sign
from agora.traceability.models import (
    AuthenticityCertificate,
    EpcisEvent,
    Lot,
    Passport,
    TracedItem,
)
from agora.traceability.passports.services import (
    certificate_issue,
    items_serialise,
    lot_record,
    passport_update,
)

# Event ids are UUIDs derived from names, so the same demo always captures the same events.
EVENT_NAMESPACE = uuid.UUID("0c6f3b0e-5f0e-4d8e-9a57-6a1f2b7c9d10")
SERIALS_PER_PRODUCT = 3
CERTIFIED_BUYER = 0  # index into spec.buyers: buyer1, Anna Schmidt

TEA_COUNTRIES = {
    "Taiwan": "TW", "India": "IN", "Germany": "DE", "South Africa": "ZA", "Japan": "JP",
    "Sri Lanka": "LK", "Morocco": "MA", "Fujian": "CN", "Guangdong": "CN", "Jiangsu": "CN",
    "Yunnan": "CN", "Anhui": "CN", "Zhejiang": "CN",
}  # fmt: skip


# --- the spec -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SerialisedProduct:
    """A high-value demo product whose first variant's units carry serial numbers."""

    seller: str
    slug: str
    sku: str
    gtin: str
    serials: tuple[str, ...]
    lot: str | None = None


@dataclass(frozen=True)
class DemoLot:
    seller: str
    sku: str
    gtin: str
    code: str
    produced_days_ago: int
    quantity: int
    best_before_days: int | None = None


@dataclass
class TraceabilitySpec:
    passports: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    serialised: list[SerialisedProduct] = field(default_factory=list)
    lots: list[DemoLot] = field(default_factory=list)


def gln(seller: SellerData, location_number: int) -> str:
    """A GLN for a demo site: the seller's company prefix, a location reference, a check digit."""
    body = f"{seller.gs1_prefix}{90000 + location_number:05d}"
    return body + gs1_check_digit(body)


def _places(seller: SellerData) -> dict[str, str]:
    named = {gln(seller, 0): ORIGIN_SITES[seller.slug][2]}
    for n, location in enumerate(seller.locations, start=1):
        named[gln(seller, n)] = f"{location.name}, {location.city}"
    return named


# Where each seller makes or sources its goods: (country, region, facility, maker).
ORIGIN_SITES = {
    "teehaus-lindner": ("DE", "Hamburg", "Teehaus Lindner blending room, Speicherstadt",
                        "Teehaus Lindner GmbH"),
    "atelier-terre-de-vallauris": ("FR", "Provence-Alpes-Côte d'Azur",
                                   "Atelier Terre de Vallauris kiln, Vallauris",
                                   "Atelier Terre de Vallauris SARL"),
    "qingyao-porcelain-tea": ("CN", "Jiangxi", "Qingyao kiln, Jingdezhen",
                              "Jingdezhen Qingyao Ceramics Co., Ltd."),
    "marlowe-finch-books": ("GB", "London", "Marlowe & Finch, Cecil Court",
                            "various publishers (second-hand copy)"),
    "pelletteria-arno": ("IT", "Tuscany", "Pelletteria Arno workshop, Scandicci",
                         "Pelletteria Arno S.r.l."),
    "fietsfabriek-utrecht": ("NL", "Utrecht", "Fietsfabriek workshop, Nieuwegein",
                             "Fietsfabriek Utrecht B.V."),
}  # fmt: skip


def _tea(product: ProductSpec, seller: SellerData) -> dict[str, Any]:
    origin = str(product.attributes.get("origin", ""))
    country = TEA_COUNTRIES.get(origin.rsplit(", ", 1)[-1], "")
    organic = bool(product.attributes.get("organic"))
    passport: dict[str, Any] = {
        "origin_country": country or ORIGIN_SITES[seller.slug][0],
        "origin_region": origin if country else f"blended ({origin})",
        "origin_facility": ORIGIN_SITES[seller.slug][2],
        "manufacturer": ORIGIN_SITES[seller.slug][3],
        "materials": [
            {"name": "tea leaves or herbs", "share_percent": 92, "recycled_percent": 0},
            {
                "name": "packaging (paper bag or steel tin)",
                "share_percent": 8,
                "recycled_percent": 40,
            },
        ],
        "recycling_text": (
            "Used leaves go in the compost or organic waste. Paper bags go with paper; tins "
            "with metal packaging."
        ),
        "carbon_kg_co2e": "0.45",
        "carbon_method": "seller's estimate per 100 g, cradle to shop, including sea freight",
        "places": _places(seller),
    }
    if organic:
        passport["certifications"] = [
            {
                "name": "EU organic",
                "issuer": "EU organic control body",
                "number": f"DEMO-{seller.country}-ÖKO-001",
                "url": "https://agriculture.ec.europa.eu/farming/organic-farming_en",
                "valid_until": "2027-12-31",
            }
        ]
    return passport


def _ceramics(seller: SellerData) -> dict[str, Any]:
    porcelain = seller.country == "CN"
    return {
        "materials": [
            {
                "name": "porcelain clay (kaolin)" if porcelain else "stoneware clay",
                "share_percent": 94,
                "recycled_percent": 0 if porcelain else 15,
            },
            {"name": "glaze", "share_percent": 6, "recycled_percent": 0},
        ],
        "certifications": [
            {
                "name": "Food contact (Regulation (EC) 1935/2004), lead and cadmium release test",
                "issuer": "accredited test laboratory",
                "number": f"DEMO-{seller.country}-FC-2025",
                "url": "https://food.ec.europa.eu/food-safety/chemical-safety_en",
                "valid_until": "2027-06-30",
            }
        ],
        "repair_text": (
            "Chips and cracks can be mended with kintsugi (lacquer and gold); the atelier repairs "
            "its own pieces at cost."
        ),
        "recycling_text": (
            "Ceramics do not go in the glass bin: take broken pieces to the recycling centre "
            "(inert or construction waste)."
        ),
        "carbon_kg_co2e": "1.20" if porcelain else "0.90",
        "carbon_method": "seller's estimate per piece: clay, two firings in a gas kiln, packing",
    }


def _books(seller: SellerData) -> dict[str, Any]:
    return {
        "materials": [
            {"name": "paper", "share_percent": 90, "recycled_percent": 0},
            {"name": "board and binding", "share_percent": 10, "recycled_percent": 0},
        ],
        "repair_text": "Loose bindings and torn spines are repaired in our bindery on request.",
        "recycling_text": "Pass the book on; at the end of its life it goes with paper.",
        "carbon_kg_co2e": "0.00",
        "carbon_method": "second-hand copy: no new production; shipping not included",
    }


def _leather(seller: SellerData) -> dict[str, Any]:
    return {
        "materials": [
            {"name": "vegetable-tanned calf leather", "share_percent": 88, "recycled_percent": 0},
            {"name": "waxed linen thread", "share_percent": 2, "recycled_percent": 0},
            {"name": "brass fittings", "share_percent": 10, "recycled_percent": 30},
        ],
        "certifications": [
            {
                "name": "Leather Working Group environmental audit (tannery)",
                "issuer": "Leather Working Group",
                "number": "DEMO-LWG-IT-0420",
                "url": "https://www.leatherworkinggroup.com/",
                "valid_until": "2027-03-31",
            }
        ],
        "repair_text": (
            "Stitching, edges and fittings are repaired in our Florence workshop; send the piece "
            "with its certificate number."
        ),
        "spare_parts_years": 10,
        "recycling_text": "Leather is not recycled at home: give the piece back to us for reuse.",
        "carbon_kg_co2e": "14.50",
        "carbon_method": "seller's estimate per bag (ISO 14067), leather from the tannery's data",
    }


def _bike(product: ProductSpec) -> dict[str, Any]:
    steel = product.attributes.get("frame_material") == "steel"
    electric = bool(product.attributes.get("electric_assist"))
    frame = "steel (chromoly)" if steel else "aluminium"
    materials = [
        {"name": f"{frame} frame", "share_percent": 55, "recycled_percent": 25 if steel else 35},
        {"name": "rubber (tyres, grips)", "share_percent": 10, "recycled_percent": 5},
        {"name": "steel and aluminium components", "share_percent": 20, "recycled_percent": 20},
        {"name": "plastics", "share_percent": 5, "recycled_percent": 0},
    ]  # fmt: skip
    if electric:
        materials.append(
            {"name": "lithium-ion battery and motor", "share_percent": 10, "recycled_percent": 0}
        )
    certs = [
        {
            "name": "EN 15194 (EPAC)" if electric else "ISO 4210 safety requirements for bicycles",
            "issuer": "notified test house",
            "number": "DEMO-NL-15194" if electric else "DEMO-NL-4210",
            "url": "https://www.iso.org/standard/59751.html" if not electric else "",
            "valid_until": "",
        }
    ]
    return {
        "materials": materials,
        "certifications": certs,
        "repair_text": (
            "Every part is standard and replaceable; our Utrecht workshop services any bike we "
            "sold, and the first service after 300 km is free."
        ),
        "repair_url": "https://www.fietsersbond.nl/",
        "spare_parts_years": 10,
        "recycling_text": (
            "Bring the bike back to us or to a municipal recycling point; the battery goes to a "
            "battery collection point (Stibat), never with household waste."
            if electric
            else "Bring the bike back to us or to a municipal recycling point for metal recycling."
        ),
        "carbon_kg_co2e": ("165.00" if electric else "96.00") if not steel else "78.00",
        "carbon_method": "seller's estimate per bike, cradle to gate, after published LCA studies",
    }


def _passport(seller: SellerData, product: ProductSpec) -> dict[str, Any]:
    country, region, facility, maker = ORIGIN_SITES[seller.slug]
    base: dict[str, Any] = {
        "origin_country": country,
        "origin_region": region,
        "origin_facility": facility,
        "manufacturer": maker,
        "places": _places(seller),
    }
    category = product.category
    if category.endswith("tea") or category == "herbal-infusions":
        return {**base, **_tea(product, seller)}
    if seller.slug in {"atelier-terre-de-vallauris", "qingyao-porcelain-tea"}:
        return {**base, **_ceramics(seller)}
    if seller.slug == "marlowe-finch-books":
        return {**base, **_books(seller)}
    if seller.slug == "pelletteria-arno":
        return {**base, **_leather(seller)}
    if category == "cycling-accessories":
        return {**base, "recycling_text": "Metal parts go to metal recycling; lights to e-waste."}
    return {**base, **_bike(product)}


def traceability_spec(spec: DemoSpec) -> TraceabilitySpec:
    """Passports for every product, the serialised products and the batches (pure)."""
    out = TraceabilitySpec()
    for seller in spec.sellers:
        for product in seller.products:
            out.passports[(seller.slug, product.slug)] = _passport(seller.data, product)
    bikes = _seller(spec, "fietsfabriek-utrecht")
    bags = _seller(spec, "pelletteria-arno")
    tea = _seller(spec, "teehaus-lindner")
    picked = [(bikes, p) for p in bikes.products if p.category in {"e-bikes", "cargo-bikes"}][
        :3
    ] + [(bags, p) for p in bags.products if p.category == "bags"][:2]
    for seller, product in picked:
        variant = product.variants[0]
        prefix = variant.sku.split("-")[0]
        lot = f"{prefix}-2026-W03" if seller is bikes else None
        serials = tuple(
            f"{prefix}{variant.sku.split('-')[1]}-{n:05d}"
            for n in range(1, SERIALS_PER_PRODUCT + 1)
        )
        out.serialised.append(
            SerialisedProduct(seller.slug, product.slug, variant.sku, variant.gtin, serials, lot)
        )
        if lot is not None and not any(x.code == lot and x.sku == variant.sku for x in out.lots):
            out.lots.append(DemoLot(seller.slug, variant.sku, variant.gtin, lot, 40, 20))
    tea_product = next(p for p in tea.products if p.category == "green-tea")
    variant = tea_product.variants[0]
    out.lots.append(DemoLot(tea.slug, variant.sku, variant.gtin, "TL-2026-017", 30, 400, 540))
    return out


def _seller(spec: DemoSpec, slug: str) -> SellerSpec:
    return next(s for s in spec.sellers if s.slug == slug)


def certified_item(spec: DemoSpec) -> tuple[SerialisedProduct, str]:
    """The demo item with an authenticity certificate and a journey: the first e-bike's first
    serial (the browser test scans its QR code)."""
    product = traceability_spec(spec).serialised[0]
    return product, product.serials[0]


def _event_id(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(EVENT_NAMESPACE, name)}"


def _at(day: date, hour: int, tz: str) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00{tz}"


def journey_documents(
    spec: DemoSpec, *, today: date
) -> Iterator[tuple[str, list[str], dict[str, Any]]]:
    """(seller slug, event ids, EPCIS 2.0 document) of the demo journeys, dated before today."""
    bike, serial = certified_item(spec)
    bikes = _seller(spec, "fietsfabriek-utrecht").data
    item = f"https://id.gs1.org/01/{bike.gtin.zfill(14)}/21/{serial}"
    workshop, shop = (
        f"https://id.gs1.org/414/{gln(bikes, 2)}",
        f"https://id.gs1.org/414/{gln(bikes, 1)}",
    )
    events = [
        ("commissioning", "ADD", "active", workshop, 21, 9),
        ("inspecting", "OBSERVE", "conformant", workshop, 20, 14),
        ("shipping", "OBSERVE", "in_transit", workshop, 18, 8),
        ("receiving", "OBSERVE", "sellable_accessible", shop, 17, 11),
        ("retail_selling", "OBSERVE", "retail_sold", shop, 9, 16),
    ]
    names = [f"bike:{bike.sku}:{serial}:{step}" for step, *_ in events]
    yield (
        bikes.slug,
        [_event_id(n) for n in names],
        _document(
            [
                _object_event(
                    name,
                    step,
                    action,
                    disposition,
                    place,
                    today - timedelta(days=days),
                    hour,
                    epcList=[item],
                )
                for name, (step, action, disposition, place, days, hour) in zip(
                    names, events, strict=True
                )
            ]
        ),
    )
    lot = next(x for x in traceability_spec(spec).lots if x.seller == "teehaus-lindner")
    tea = _seller(spec, "teehaus-lindner").data
    klass = f"https://id.gs1.org/01/{lot.gtin.zfill(14)}/10/{lot.code}"
    store_room, shop = (
        f"https://id.gs1.org/414/{gln(tea, 0)}",
        f"https://id.gs1.org/414/{gln(tea, 2)}",
    )
    steps = [
        ("packing", "ADD", "in_progress", store_room, 30, 10, lot.quantity),
        ("shipping", "OBSERVE", "in_transit", store_room, 29, 15, 60),
        ("receiving", "OBSERVE", "sellable_accessible", shop, 28, 9, 60),
    ]
    names = [f"tea:{lot.code}:{step}" for step, *_ in steps]
    yield (
        tea.slug,
        [_event_id(n) for n in names],
        _document(
            [
                _object_event(
                    name,
                    step,
                    action,
                    disposition,
                    place,
                    today - timedelta(days=days),
                    hour,
                    epcList=[],
                    quantityList=[{"epcClass": klass, "quantity": quantity}],
                )
                for name, (step, action, disposition, place, days, hour, quantity) in zip(
                    names, steps, strict=True
                )
            ]
        ),
    )


def _object_event(
    name: str,
    step: str,
    action: str,
    disposition: str,
    place: str,
    day: date,
    hour: int,
    **what: Any,
) -> dict[str, Any]:
    """One demo ObjectEvent at ``place`` (read point and business location), in CET; ``what``
    names the goods (``epcList`` and/or ``quantityList``), keys kept in the order written."""
    return {
        "type": "ObjectEvent",
        "eventID": _event_id(name),
        "eventTime": _at(day, hour, "+01:00"),
        "eventTimeZoneOffset": "+01:00",
        **what,
        "action": action,
        "bizStep": step,
        "disposition": disposition,
        "readPoint": {"id": place},
        "bizLocation": {"id": place},
    }


def _document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": events[-1]["eventTime"],
        "epcisBody": {"eventList": events},
    }


# --- writing it ---------------------------------------------------------------------------------


def build_traceability(spec: DemoSpec, *, actor: Actor, buyer_ids: dict[str, int]) -> Counter[str]:
    """Writes what is missing of the demo's traceability and signs a log head; counts it."""
    plan = traceability_spec(spec)
    created: Counter[str] = Counter()
    sellers = {s.slug: s for s in Seller.objects.filter(slug__in=[s.slug for s in spec.sellers])}
    products = {
        (slug, product_slug): pk
        for pk, slug, product_slug in Product.objects.filter(
            seller__in=sellers.values()
        ).values_list("pk", "seller__slug", "slug")
    }
    with transaction.atomic():
        have = set(Passport.objects.values_list("product_id", flat=True))
        todo = [pk for key, pk in products.items() if pk not in have and key in plan.passports]
        keys = {pk: key for key, pk in products.items()}
        for product in Product.objects.filter(pk__in=todo).select_related("seller"):
            passport_update(actor=actor, product=product, changes=plan.passports[keys[product.pk]])
            created["passports"] += 1
    today = clock.now().date()
    variants = {
        (v.seller.slug, v.sku): v
        for v in Variant.objects.filter(
            sku__in=[x.sku for x in plan.serialised] + [x.sku for x in plan.lots]
        ).select_related("seller", "product")
    }
    with transaction.atomic():
        for demo_lot in plan.lots:
            variant = variants.get((demo_lot.seller, demo_lot.sku))
            if variant is None or Lot.objects.filter(variant=variant, code=demo_lot.code).exists():
                continue
            produced = today - timedelta(days=demo_lot.produced_days_ago)
            lot_record(
                actor=actor,
                variant=variant,
                code=demo_lot.code,
                produced_on=produced,
                quantity=demo_lot.quantity,
                best_before=produced + timedelta(days=demo_lot.best_before_days)
                if demo_lot.best_before_days
                else None,
            )
            created["lots"] += 1
        for product in plan.serialised:
            variant = variants.get((product.seller, product.sku))
            if variant is None:
                continue
            taken = set(TracedItem.objects.filter(variant=variant).values_list("serial", flat=True))
            missing = [s for s in product.serials if s not in taken]
            if missing:
                lot = Lot.objects.filter(variant=variant, code=product.lot).first()
                items_serialise(actor=actor, variant=variant, serials=missing, lot=lot)
                created["serialised items"] += len(missing)
    _journeys(spec, today=today, sellers=sellers, actor=actor, created=created)
    bike, serial = certified_item(spec)
    buyer_id = buyer_ids.get(spec.buyers[CERTIFIED_BUYER].email)
    item = TracedItem.objects.filter(gtin=bike.gtin.zfill(14), serial=serial).first()
    certified = AuthenticityCertificate.objects.filter(item=item).exists()
    if item is not None and buyer_id is not None and not certified:
        certificate_issue(actor=actor, item=item, holder=User.objects.get(pk=buyer_id))
        created["certificates"] += 1
    if checkpoint_sign() is not None:
        created["signed log heads"] += 1
    return created


def _journeys(
    spec: DemoSpec,
    *,
    today: date,
    sellers: dict[str, Seller],
    actor: Actor,
    created: Counter[str],
) -> None:
    for slug, event_ids, document in journey_documents(spec, today=today):
        seller = sellers.get(slug)
        if seller is None or EpcisEvent.objects.filter(event_id__in=event_ids).exists():
            continue
        epcis_capture(seller=seller, raw=json.dumps(document), source="upload", actor=actor)
        created["EPCIS events"] += len(event_ids)
