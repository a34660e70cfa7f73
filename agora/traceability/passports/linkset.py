"""The links a Digital Link resolves to, as the GS1-Conformant Resolver standard (1.x) lists them:
a linkset in JSON (RFC 9264, ``application/linkset+json``) keyed by GS1 Web Vocabulary link
types, the default link, and the resolver description of ``/.well-known/gs1resolver``.

Only terms that exist in the GS1 Web Vocabulary are used: recycling and the carbon footprint
are ``gs1:sustainabilityInfo`` and repair is ``gs1:instructions`` (there is no
``gs1:recyclingInfo`` or ``gs1:repairInfo``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from agora.traceability.passports.selectors import Resolution

GS1_VOC = "https://gs1.org/voc/"
# Older and newer spellings of the namespace a client may send in linkType.
GS1_VOC_ALIASES = ("https://gs1.org/voc/", "http://gs1.org/voc/", "https://ref.gs1.org/voc/")
LINKSET_TYPE = "application/linkset+json"
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
LANGUAGES = ["en", "zh-Hans"]
DEFAULT_LINK = "defaultLink"
LINKSET_VALUES = {"all", "linkset"}  # linkType=all (GS1 DL 1.1) and linkset (resolver 1.x)


@dataclass(frozen=True)
class Link:
    """One link: its GS1 link type (without namespace), target, title and media type."""

    link_type: str
    href: str
    title: str
    media_type: str = "text/html"
    languages: tuple[str, ...] = tuple(LANGUAGES)

    def as_dict(self) -> dict[str, object]:
        entry: dict[str, object] = {"href": self.href, "title": self.title, "type": self.media_type}
        if self.languages:
            entry["hreflang"] = list(self.languages)
        return entry


def link_type_name(value: str) -> str | None:
    """``gs1:pip``, ``https://gs1.org/voc/pip`` or ``pip`` → ``pip``; None for another
    namespace (this resolver answers only GS1 link types)."""
    value = value.strip()
    if value.startswith("gs1:"):
        return value[4:] or None
    for namespace in GS1_VOC_ALIASES:
        if value.startswith(namespace):
            return value[len(namespace) :] or None
    if value and ":" not in value and "/" not in value:
        return value
    return None


def passport_path(resolution: Resolution) -> str:
    """The public passport page of what was resolved (item, lot or product)."""
    path = reverse("traceability:passport", args=[resolution.gtin])
    query = {}
    # An unknown serial or lot is passed on too: the page then says it shows the product.
    if resolution.item is not None:
        query["serial"] = resolution.item.serial
    else:
        if resolution.lot is not None or resolution.lot_asked is not None:
            query["lot"] = resolution.lot.code if resolution.lot else resolution.lot_asked
        if resolution.serial_asked is not None:
            query["serial"] = resolution.serial_asked
    return f"{path}?{urlencode(query)}" if query else path


def links(resolution: Resolution, *, origin: str, digital_link: str) -> list[Link]:
    """Every link of what was resolved; the default link first (the passport page)."""
    passport = origin + passport_path(resolution)

    def section(name: str) -> str:
        return f"{passport}#{name}"

    found = [
        Link(DEFAULT_LINK, passport, "Digital product passport"),
        Link("pip", origin + f"/p/{resolution.product.public_id}/", "Product page"),
        Link("sustainabilityInfo", section("sustainability"), "Materials, recycling and carbon"),
        Link("traceability", section("journey"), "Journey of this product (EPCIS events)"),
        Link(
            "epcis",
            origin + "/api/v1/epcis/events?" + urlencode(_epcis_query(resolution, digital_link)),
            "EPCIS events (query interface)",
            media_type="application/ld+json",
            languages=(),
        ),
    ]
    passport_row = resolution.passport
    certified = passport_row is not None and bool(passport_row.certifications)
    if certified or resolution.item is not None:
        found.append(Link("certificationInfo", section("certifications"), "Certifications"))
    if passport_row is not None and (passport_row.repair_text or passport_row.repair_url):
        target = passport_row.repair_url or section("repair")
        found.append(Link("instructions", target, "Repair and spare parts"))
    return found


def _epcis_query(resolution: Resolution, digital_link: str) -> dict[str, str]:
    """The EPCIS 2.0 query for what was resolved: the item's EPC, the lot's class, or every
    event naming the GTIN (part E's ``gtin`` filter)."""
    if resolution.item is not None:
        return {"MATCH_epc": digital_link}
    if resolution.lot is not None:
        return {"MATCH_epcClass": digital_link}
    return {"gtin": resolution.gtin}


def find(found: list[Link], name: str) -> Link | None:
    return next((link for link in found if link.link_type == name), None)


def linkset(found: list[Link], *, anchor: str) -> dict[str, object]:
    """The RFC 9264 JSON linkset, relation types as full GS1 vocabulary URIs."""
    context: dict[str, object] = {"anchor": anchor}
    for link in found:
        context.setdefault(GS1_VOC + link.link_type, []).append(link.as_dict())  # type: ignore[union-attr]
    return {"linkset": [context]}


def linkset_url(digital_link: str) -> str:
    return f"{digital_link}?linkType=linkset"


def link_header(digital_link: str) -> str:
    """The Link header a redirect carries: where the full linkset is (resolver standard 1.x)."""
    return f'<{linkset_url(digital_link)}>; rel="linkset"; type="{LINKSET_TYPE}"'


def context_header() -> str:
    """Lets a client read the JSON linkset as JSON-LD (the standard's linkset context)."""
    rel = "http://www.w3.org/ns/json-ld#context"
    return f'<{LINKSET_CONTEXT}>; rel="{rel}"; type="application/ld+json"'


def description(*, root: str) -> dict[str, object]:
    """The resolver description file served at ``/.well-known/gs1resolver``."""
    return {
        "name": "Agora GS1 Digital Link resolver",
        "resolverRoot": root,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedContextValuesEnumerated": [],
        "supportedContextValuesExternal": [],
    }
