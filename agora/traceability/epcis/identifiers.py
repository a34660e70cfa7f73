"""GS1 identifiers as they appear in EPCIS events: GTINs, GLNs, EPC URNs and GS1 Digital Links.

EPCIS 2.0 lets an event name the same thing two ways: a pure-identity EPC URN of the GS1 EPC Tag
Data Standard (``urn:epc:id:sgtin:0614141.812345.6789``) or a GS1 Digital Link URI
(``https://id.gs1.org/01/80614141123458/21/6789``). Both carry GS1 keys whose last digit is a
check digit the URN *omits* and the Digital Link *includes*, so a typo is caught only if we
recompute it. This module parses both forms, recomputes check digits (with python-stdnum's GS1
mod-10 routine rather than our own arithmetic) and writes the canonical Digital Link form that
passports and QR labels print. Pure Python: no Django, so the offline CLI can use it.

Every failure raises :class:`IdentifierError` whose message names the value and the rule broken.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from stdnum import ean

__all__ = [
    "DigitalLink",
    "EpcUri",
    "IdentifierError",
    "digital_link_uri",
    "epc_to_gtin",
    "gln_check",
    "gtin_normalise",
    "is_digital_link_candidate",
    "parse_digital_link",
    "parse_epc_uri",
]


class IdentifierError(ValueError):
    """A GS1 identifier that is malformed or whose check digit is wrong.

    ``rule`` is a stable code ("gtin-check-digit", "epc-uri", "digital-link", ...) that the EPCIS
    validator reports as the rule broken; the message names the offending value.
    """

    def __init__(self, message: str, *, rule: str = "identifier") -> None:
        super().__init__(message)
        self.rule = rule


# --- GS1 keys with a mod-10 check digit -----------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")
# GS1 AI encodable character set 82 (GS1 General Specifications §7.11, figure 7.11-1).
_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*")
# Character set 39 (used by CPID, AI 8010).
_CSET39 = re.compile(r"[#\-/0-9A-Z]*")
_HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")
_DIGITS_OR_EMPTY = re.compile(r"[0-9]*")
_UIC_EXT = re.compile(r"[0-9][!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{3}")
_AI_KEY = re.compile(r"[0-9]{2,4}")


@functools.lru_cache(maxsize=4096)
def _check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of ``body`` (any length; stdnum's EAN routine is generic).

    Cached: a capture names the same few GTINs and GLNs in thousands of serial EPCs, and
    stdnum's routine is the largest cost of checking an event's identifiers.
    """
    return ean.calc_check_digit(body)


def _verify_check_digit(value: str, *, what: str) -> None:
    expected = _check_digit(value[:-1])
    if value[-1] != expected:
        raise IdentifierError(
            f"{what} {value!r} has check digit {value[-1]}, expected {expected}",
            rule="gtin-check-digit" if what.startswith("GTIN") else "check-digit",
        )


def _digits(value: str, *, what: str, lengths: tuple[int, ...]) -> str:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise IdentifierError(f"{what} {value!r} must be digits only", rule="identifier")
    if len(value) not in lengths:
        allowed = "/".join(str(n) for n in lengths)
        raise IdentifierError(
            f"{what} {value!r} has {len(value)} digits, expected {allowed}", rule="identifier"
        )
    return value


def gtin_normalise(gtin: str) -> str:
    """A GTIN-8/12/13/14 as the 14-digit form (left-padded with zeros), check digit verified.

    GTIN-8, UPC-A (12) and EAN-13 are the same key space as GTIN-14 with leading zeros, and the
    GS1 Digital Link canonical form always writes 14 digits, so everything stores that.
    """
    value = _digits(gtin, what="GTIN", lengths=(8, 12, 13, 14))
    _verify_check_digit(value, what=f"GTIN-{len(value)}")
    return value.zfill(14)


def gln_check(gln: str) -> str:
    """A 13-digit GLN with its check digit verified (returned unchanged)."""
    value = _digits(gln, what="GLN", lengths=(13,))
    _verify_check_digit(value, what="GLN")
    return value


def _sscc_check(sscc: str) -> str:
    value = _digits(sscc, what="SSCC", lengths=(18,))
    _verify_check_digit(value, what="SSCC")
    return value


def _cset82(value: str, *, what: str, max_len: int, min_len: int = 1) -> str:
    if not _CSET82.fullmatch(value):
        bad = next(c for c in value if not _CSET82.fullmatch(c))
        raise IdentifierError(
            f"{what} {value!r} contains {bad!r}, outside the GS1 AI character set 82",
            rule="identifier",
        )
    if not min_len <= len(value) <= max_len:
        raise IdentifierError(
            f"{what} {value!r} must be {min_len}-{max_len} characters long", rule="identifier"
        )
    return value


def _percent_decode(text: str, *, what: str, rule: str) -> str:
    """Strict percent-decoding: a ``%`` not followed by two hex digits is an error."""
    if "%" not in text and text.isascii():  # nothing to decode (most identifiers)
        return text
    out = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not _HEX_PAIR.fullmatch(pair):
                raise IdentifierError(f"{what} {text!r} has a malformed %-escape", rule=rule)
            out.append(int(pair, 16))
            i += 3
        else:
            out.extend(char.encode("utf-8"))
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise IdentifierError(f"{what} {text!r} does not decode as UTF-8", rule=rule) from None


# --- GS1 Digital Link -----------------------------------------------------------------------

# Primary keys and, for each, the key qualifiers allowed in the path *in this order* (GS1 Digital
# Link URI Syntax 1.2-1.5, §4 and the ABNF grammar). A tuple inside the list is a choice: the
# GTIN's last qualifier is either a serial (21) or a third-party controlled serial (235).
_QUALIFIERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "01": (("22",), ("10",), ("21", "235")),
    "8006": (("22",), ("10",), ("21",)),
    "8010": (("8011",),),
    "414": (("254", "7040"),),
    "417": (("7040",),),
    "8017": (("8019",),),
    "8018": (("8019",),),
    "00": (),
    "253": (),
    "255": (),
    "401": (),
    "402": (),
    "8003": (),
    "8004": (),
    "8013": (),
}
PRIMARY_KEYS = frozenset(_QUALIFIERS)

_AI_NAMES = {
    "00": "SSCC",
    "01": "GTIN",
    "10": "batch/lot",
    "21": "serial",
    "22": "consumer product variant",
    "235": "third-party controlled serial",
    "253": "GDTI",
    "254": "GLN extension",
    "255": "GCN",
    "401": "GINC",
    "402": "GSIN",
    "414": "GLN",
    "417": "party GLN",
    "7040": "UIC with extension",
    "8003": "GRAI",
    "8004": "GIAI",
    "8006": "ITIP",
    "8010": "CPID",
    "8011": "CPID serial",
    "8013": "GMN",
    "8017": "GSRN (provider)",
    "8018": "GSRN (recipient)",
    "8019": "SRIN",
}


def _dl_value(ai: str, value: str) -> str:
    """Check one AI value of a Digital Link path; returns it (GTIN normalised to 14 digits)."""
    name = f"{_AI_NAMES.get(ai, 'AI ' + ai)} (AI {ai})"
    if ai == "01":
        return gtin_normalise(value)
    if ai == "00":
        return _sscc_check(value)
    if ai in {"414", "417"}:
        return gln_check(value)
    if ai in {"8017", "8018"}:
        value = _digits(value, what=name, lengths=(18,))
        _verify_check_digit(value, what=name)
        return value
    if ai == "402":
        value = _digits(value, what=name, lengths=(17,))
        _verify_check_digit(value, what=name)
        return value
    if ai == "8006":
        value = _digits(value, what=name, lengths=(18,))
        _verify_check_digit(value[:14], what="GTIN-14 of the ITIP")
        return value
    if ai == "255":
        value = _digits(value, what=name, lengths=tuple(range(13, 26)))
        _verify_check_digit(value[:13], what=name)
        return value
    if ai in {"253", "8003"}:
        width = 13 if ai == "253" else 14
        extra = 17 if ai == "253" else 16
        if len(value) < width or not _DIGITS.fullmatch(value[:width]):
            raise IdentifierError(f"{name} {value!r} must start with {width} digits")
        if ai == "8003" and value[0] != "0":
            raise IdentifierError(f"{name} {value!r} must start with 0")
        _verify_check_digit(value[:width], what=name)
        if len(value) > width:
            _cset82(value[width:], what=f"{name} serial", max_len=extra)
        return value
    if ai == "8010":
        if not _CSET39.fullmatch(value) or not 1 <= len(value) <= 30:
            raise IdentifierError(f"{name} {value!r} must be 1-30 characters of set 39")
        return value
    if ai == "8011":
        value = _digits(value, what=name, lengths=tuple(range(1, 13)))
        return value
    if ai == "8019":
        return _digits(value, what=name, lengths=tuple(range(1, 11)))
    if ai == "7040":
        if not _UIC_EXT.fullmatch(value):
            raise IdentifierError(f"{name} {value!r} must be a digit and 3 characters")
        return value
    limits = {"10": 20, "21": 20, "22": 20, "235": 28, "254": 20, "401": 30, "8004": 30}
    limits["8013"] = 25
    return _cset82(value, what=name, max_len=limits.get(ai, 90))


@dataclass(frozen=True)
class DigitalLink:
    """A parsed GS1 Digital Link URI (uncompressed form).

    ``gtin`` is always 14 digits. ``path_qualifiers`` are the (AI, value) pairs after the primary
    key in the order written; ``query`` holds the percent-decoded query parameters (data
    attributes such as ``17`` and resolver parameters such as ``linkType``). ``base`` is the
    scheme, host and any custom path before the primary key, without a trailing slash.
    """

    gtin: str | None
    serial: str | None
    lot: str | None
    sscc: str | None
    gln: str | None
    path_qualifiers: tuple[tuple[str, str], ...]
    query: dict[str, str] = field(hash=False)
    base: str
    primary_ai: str = ""
    primary_value: str = ""

    @property
    def canonical_path(self) -> str:
        """``/01/<gtin14>/10/<lot>/21/<serial>``: the primary key and qualifiers, re-encoded."""
        parts = [self.primary_ai, _dl_encode(self.primary_value)]
        for ai, value in self.path_qualifiers:
            parts += [ai, _dl_encode(value)]
        return "/" + "/".join(parts)

    @property
    def uri(self) -> str:
        """The canonical URI on this link's own base (no query string)."""
        return self.base + self.canonical_path


def _dl_encode(value: str) -> str:
    """Percent-encode an AI value for a Digital Link path segment.

    Everything outside RFC 3986's unreserved set is encoded (uppercase hex), so ``/``, ``%``,
    ``&``, ``?``, ``#`` and the sub-delimiters can never be mistaken for URI structure; GS1 DL
    §6 requires this for every character of set 82 that is not unreserved.
    """
    return quote(value, safe="")


def _split_base(uri: str, *, rule: str) -> tuple[str, str, str]:
    """(scheme://host, path, query) of an absolute http(s) URI, or IdentifierError."""
    if not isinstance(uri, str) or not uri:
        raise IdentifierError(f"Digital Link {uri!r} is empty", rule=rule)
    if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in uri):
        raise IdentifierError(
            f"Digital Link {uri!r} contains a space, control or non-ASCII character", rule=rule
        )
    parts = urlsplit(uri)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise IdentifierError(f"Digital Link {uri!r} must be an absolute http(s) URI", rule=rule)
    if parts.fragment:
        raise IdentifierError(f"Digital Link {uri!r} must not have a fragment", rule=rule)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}", parts.path, parts.query


def is_digital_link_candidate(uri: str) -> bool:
    """True when ``uri`` is an http(s) URI whose path names a GS1 primary key AI and a value.

    EPCIS allows any URI as an identifier; one that *looks* like a Digital Link (``/01/...``)
    is held to the Digital Link rules, any other web URI is accepted as the owner's own id.
    """
    if not isinstance(uri, str) or not uri.lower().startswith(("http://", "https://")):
        return False
    path = urlsplit(uri).path
    segments = path.split("/")[1:]
    return any(seg in PRIMARY_KEYS for seg in segments[:-1])


def parse_digital_link(uri: str) -> DigitalLink:
    """Parse an uncompressed GS1 Digital Link URI; check AIs, qualifier order and check digits.

    The path is ``<custom path>/<primary AI>/<value>[/<qualifier AI>/<value>]...``: the primary
    key is the first segment from which the rest reads as that key followed by its allowed
    qualifiers in the standard's order. Values are percent-decoded strictly and must be in the
    GS1 character set; GTIN-8/12/13 are padded to 14 digits.
    """
    rule = "digital-link"
    base, path, query_text = _split_base(uri, rule=rule)
    segments = path.split("/")[1:] if path.startswith("/") else []
    start = None
    for i in range(len(segments) - 1):
        rest = segments[i:]
        if rest[0] in PRIMARY_KEYS and len(rest) % 2 == 0:
            start = i
            break
    if start is None:
        raise IdentifierError(
            f"Digital Link {uri!r} has no GS1 primary key (such as /01/<GTIN>) in its path",
            rule=rule,
        )
    prefix = segments[:start]
    if any(seg == "" for seg in segments[start:]):
        raise IdentifierError(f"Digital Link {uri!r} has an empty path segment", rule=rule)
    primary_ai = segments[start]
    pairs = [
        (
            segments[j],
            _percent_decode(segments[j + 1], what=f"Digital Link {uri!r}: path segment", rule=rule),
        )
        for j in range(start, len(segments), 2)
    ]
    try:
        primary_value = _dl_value(primary_ai, pairs[0][1])
        allowed = _QUALIFIERS[primary_ai]
        slot = 0
        qualifiers: list[tuple[str, str]] = []
        for ai, raw in pairs[1:]:
            while slot < len(allowed) and ai not in allowed[slot]:
                slot += 1
            if slot == len(allowed):
                order = ", ".join("/".join(choice) for choice in allowed) or "none"
                raise IdentifierError(
                    f"Digital Link {uri!r}: AI {ai} is not a key qualifier of AI {primary_ai} "
                    f"in this position (allowed, in order: {order})",
                    rule=rule,
                )
            slot += 1
            qualifiers.append((ai, _dl_value(ai, raw)))
        query = _parse_query(query_text, uri=uri)
    except IdentifierError as exc:  # say which link; keep a check-digit rule, else digital-link
        message = (
            str(exc) if str(exc).startswith("Digital Link") else f"Digital Link {uri!r}: {exc}"
        )
        keep = exc.rule in {"gtin-check-digit", "check-digit"}
        raise IdentifierError(message, rule=exc.rule if keep else rule) from None
    found = dict(qualifiers)
    prefix_path = "/" + "/".join(prefix) if prefix else ""
    return DigitalLink(
        gtin=primary_value if primary_ai == "01" else None,
        serial=found.get("21"),
        lot=found.get("10"),
        sscc=primary_value if primary_ai == "00" else None,
        gln=primary_value if primary_ai in {"414", "417"} else None,
        path_qualifiers=tuple(qualifiers),
        query=query,
        base=base + prefix_path,
        primary_ai=primary_ai,
        primary_value=primary_value,
    )


def _parse_query(text: str, *, uri: str) -> dict[str, str]:
    query: dict[str, str] = {}
    if not text:
        return query
    for item in text.split("&"):
        if not item:
            continue
        key, _, value = item.partition("=")
        what = f"Digital Link {uri!r} query"
        key = _percent_decode(key.replace("+", " "), what=what, rule="digital-link")
        value = _percent_decode(value.replace("+", " "), what=what, rule="digital-link")
        if _AI_KEY.fullmatch(key):
            value = _dl_value(key, value) if key in _AI_NAMES else value
        query[key] = value
    return query


def digital_link_uri(
    *, base: str, gtin: str, serial: str | None = None, lot: str | None = None
) -> str:
    """The canonical GS1 Digital Link URI ``<base>/01/<gtin14>[/10/<lot>][/21/<serial>]``.

    ``base`` is the resolver's scheme and host with an optional custom path
    (``https://example.org`` or ``https://example.org/dl``). Lot and serial are checked against
    the GS1 character set and length (20) and percent-encoded.
    """
    if not isinstance(base, str) or not base:
        raise IdentifierError(f"Digital Link base {base!r} is empty", rule="digital-link")
    root, path, query = _split_base(base, rule="digital-link")
    if query:
        raise IdentifierError(
            f"Digital Link base {base!r} must not have a query", rule="digital-link"
        )
    uri = root + path.rstrip("/") + "/01/" + gtin_normalise(gtin)
    if lot is not None:
        uri += "/10/" + _dl_encode(_cset82(lot, what="batch/lot (AI 10)", max_len=20))
    if serial is not None:
        uri += "/21/" + _dl_encode(_cset82(serial, what="serial (AI 21)", max_len=20))
    return uri


# --- EPC URNs (GS1 EPC Tag Data Standard, pure identity / class / pattern URIs) --------------


@dataclass(frozen=True)
class EpcUri:
    """A parsed EPC URN with its GS1 key rebuilt (check digit computed back).

    ``kind`` is "id" (one instance), "class" (lgtin: a GTIN's batch) or "idpat" (a pattern).
    ``key`` is the GS1 key as an element string value (GTIN-14, SSCC, GLN, GRAI, GIAI, ...).
    """

    uri: str
    kind: str
    scheme: str
    company_prefix: str
    key: str | None
    gtin: str | None = None
    gln: str | None = None
    sscc: str | None = None
    serial: str | None = None
    lot: str | None = None
    extension: str | None = None


# Schemes of TDS 2.x we recognise but only check for shape (no GS1 check digit to recompute or
# not used by EPCIS examples in practice).
_SHAPE_ONLY = re.compile(
    r"(cpi|ginc|gsin|itip|upui|gid|usdod|adi|bic|imovn|sgcn|gsrnp|gsrn|gdti|pgln)"
)
_EPC_COMPONENT = re.compile(r"[!'()*+,\-.0-9:;=A-Z_a-z%]+")


def _epc_fail(uri: str, why: str, rule: str = "epc-uri") -> IdentifierError:
    return IdentifierError(f"EPC URI {uri!r}: {why}", rule=rule)


def _epc_text(uri: str, raw: str, *, what: str, max_len: int) -> str:
    """Decode an escaped alphanumeric EPC component (TDS §6.3.2: %-escape ``"%&/<>?``)."""
    if not raw or not _EPC_COMPONENT.fullmatch(raw):
        raise _epc_fail(uri, f"{what} {raw!r} is empty or has characters that must be %-escaped")
    try:
        value = _percent_decode(raw, what=what, rule="epc-uri")
        return _cset82(value, what=what, max_len=max_len)
    except IdentifierError as exc:
        raise _epc_fail(uri, str(exc)) from None


def _prefix_and_ref(uri: str, parts: list[str], *, total: int, what: str) -> tuple[str, str]:
    """Company prefix (6-12 digits) and the reference whose length makes ``total`` digits."""
    prefix, ref = parts[0], parts[1]
    if not _DIGITS.fullmatch(prefix) or not 6 <= len(prefix) <= 12:
        raise _epc_fail(uri, f"company prefix {prefix!r} must be 6-12 digits")
    if not _DIGITS_OR_EMPTY.fullmatch(ref) or len(prefix) + len(ref) != total:
        raise _epc_fail(
            uri,
            f"company prefix {prefix!r} and {what} {ref!r} must be {total} digits together "
            f"(got {len(prefix) + len(ref)})",
        )
    return prefix, ref


def _sgtin_gtin(prefix: str, item_ref: str) -> str:
    """GTIN-14 from a TDS company prefix and indicator+item reference: check digit computed."""
    body = item_ref[0] + prefix + item_ref[1:]
    return body + _check_digit(body)


def parse_epc_uri(uri: str) -> EpcUri:
    """Parse a pure-identity EPC URN (``urn:epc:id:...``), an lgtin class URN or an idpat.

    sgtin, sscc, sgln, grai, giai, pgln, gsrn, gdti and lgtin are checked field by field and their
    GS1 key rebuilt with its check digit; other TDS schemes are checked for shape only.
    """
    if not isinstance(uri, str) or not uri.startswith("urn:epc:"):
        raise _epc_fail(uri, "must start with 'urn:epc:' (lowercase)")
    fields = uri.split(":", 4)  # a serial may hold a raw ":" (TDS escapes only "%&/<>?)
    if len(fields) != 5:
        raise _epc_fail(uri, "must be urn:epc:<id|class|idpat>:<scheme>:<fields>")
    kind, scheme, body = fields[2], fields[3], fields[4]
    parts = body.split(".")
    if kind == "class":
        if scheme != "lgtin" or len(parts) != 3:
            raise _epc_fail(
                uri, "the only EPC class URN is urn:epc:class:lgtin:<prefix>.<item>.<lot>"
            )
        prefix, item = _prefix_and_ref(uri, parts, total=13, what="indicator and item reference")
        gtin = _sgtin_gtin(prefix, item)
        lot = _epc_text(uri, parts[2], what="lot", max_len=20)
        return EpcUri(uri, kind, scheme, prefix, gtin, gtin=gtin, lot=lot)
    if kind == "idpat":
        return _parse_idpat(uri, scheme, parts)
    if kind != "id":
        raise _epc_fail(uri, f"unknown EPC URI kind {kind!r} (expected id, class or idpat)")
    if scheme == "sgtin":
        if len(parts) != 3:
            raise _epc_fail(uri, "sgtin must be <prefix>.<indicator+item ref>.<serial>")
        prefix, item = _prefix_and_ref(uri, parts, total=13, what="indicator and item reference")
        gtin = _sgtin_gtin(prefix, item)
        serial = _epc_text(uri, parts[2], what="serial", max_len=20)
        return EpcUri(uri, kind, scheme, prefix, gtin, gtin=gtin, serial=serial)
    if scheme == "sscc":
        if len(parts) != 2:
            raise _epc_fail(uri, "sscc must be <prefix>.<extension+serial ref>")
        prefix, ref = _prefix_and_ref(uri, parts, total=17, what="serial reference")
        body17 = ref[0] + prefix + ref[1:]
        sscc = body17 + _check_digit(body17)
        return EpcUri(uri, kind, scheme, prefix, sscc, sscc=sscc)
    if scheme in {"sgln", "pgln"}:
        want = 3 if scheme == "sgln" else 2
        if len(parts) != want:
            shape = "<prefix>.<location ref>.<extension>" if want == 3 else "<prefix>.<party ref>"
            raise _epc_fail(uri, f"{scheme} must be {shape}")
        prefix, ref = _prefix_and_ref(uri, parts, total=12, what="location reference")
        gln = prefix + ref + _check_digit(prefix + ref)
        ext = None
        if scheme == "sgln" and parts[2] != "0":
            ext = _epc_text(uri, parts[2], what="extension", max_len=20)
        return EpcUri(uri, kind, scheme, prefix, gln, gln=gln, extension=ext)
    if scheme == "grai":
        if len(parts) != 3:
            raise _epc_fail(uri, "grai must be <prefix>.<asset type>.<serial>")
        prefix, ref = _prefix_and_ref(uri, parts, total=12, what="asset type")
        serial = parts[2] and _epc_text(uri, parts[2], what="serial", max_len=16)
        body = "0" + prefix + ref
        return EpcUri(uri, kind, scheme, prefix, body + _check_digit(body) + serial, serial=serial)
    if scheme == "giai":
        if len(parts) != 2:
            raise _epc_fail(uri, "giai must be <prefix>.<individual asset reference>")
        prefix = parts[0]
        if not _DIGITS.fullmatch(prefix) or not 6 <= len(prefix) <= 12:
            raise _epc_fail(uri, f"company prefix {prefix!r} must be 6-12 digits")
        ref = _epc_text(uri, parts[1], what="asset reference", max_len=30 - len(prefix))
        return EpcUri(uri, kind, scheme, prefix, prefix + ref, serial=ref)
    if scheme in {"gsrn", "gsrnp"}:
        if len(parts) != 2:
            raise _epc_fail(uri, f"{scheme} must be <prefix>.<service reference>")
        prefix, ref = _prefix_and_ref(uri, parts, total=17, what="service reference")
        return EpcUri(uri, kind, scheme, prefix, prefix + ref + _check_digit(prefix + ref))
    if scheme == "gdti":
        if len(parts) != 3:
            raise _epc_fail(uri, "gdti must be <prefix>.<document type>.<serial>")
        prefix, ref = _prefix_and_ref(uri, parts, total=12, what="document type")
        serial = parts[2] and _epc_text(uri, parts[2], what="serial", max_len=17)
        key = prefix + ref + _check_digit(prefix + ref) + serial
        return EpcUri(uri, kind, scheme, prefix, key, serial=serial or None)
    if _SHAPE_ONLY.fullmatch(scheme):
        if not all(parts) or not all(_EPC_COMPONENT.fullmatch(p) for p in parts):
            raise _epc_fail(uri, f"{scheme} fields must be non-empty and properly escaped")
        return EpcUri(uri, kind, scheme, parts[0], None)
    raise _epc_fail(uri, f"unknown EPC scheme {scheme!r}")


def _parse_idpat(uri: str, scheme: str, parts: list[str]) -> EpcUri:
    """``urn:epc:idpat:sgtin:<prefix>.<item>.*`` (or ``.*.*``): the prefix parts are checked."""
    if scheme != "sgtin":
        if not all(parts) or not all(p == "*" or _EPC_COMPONENT.fullmatch(p) for p in parts):
            raise _epc_fail(uri, f"idpat {scheme} fields must be non-empty")
        return EpcUri(uri, "idpat", scheme, parts[0], None)
    if len(parts) != 3:
        raise _epc_fail(uri, "idpat:sgtin must be <prefix>.<item ref or *>.<serial or *>")
    prefix, item, serial = parts
    if prefix == "*":
        if item != "*" or serial != "*":
            raise _epc_fail(uri, "after a '*' every later field must be '*'")
        return EpcUri(uri, "idpat", scheme, "", None)
    if item == "*":
        if serial != "*":
            raise _epc_fail(uri, "after a '*' every later field must be '*'")
        if not _DIGITS.fullmatch(prefix) or not 6 <= len(prefix) <= 12:
            raise _epc_fail(uri, f"company prefix {prefix!r} must be 6-12 digits")
        return EpcUri(uri, "idpat", scheme, prefix, None)
    prefix, item = _prefix_and_ref(uri, parts, total=13, what="indicator and item reference")
    gtin = _sgtin_gtin(prefix, item)
    ser = None if serial == "*" else _epc_text(uri, serial, what="serial", max_len=20)
    return EpcUri(uri, "idpat", scheme, prefix, gtin, gtin=gtin, serial=ser)


def epc_to_gtin(uri: str) -> str | None:
    """The GTIN-14 an identifier names, or None when it names no trade item.

    Accepts sgtin/lgtin/idpat-sgtin EPC URNs and GTIN Digital Links; other EPC schemes, other
    Digital Link keys and plain URIs give None. A malformed EPC URN or Digital Link raises
    IdentifierError (validate before indexing).
    """
    if isinstance(uri, str) and uri.lower().startswith("urn:epc:"):
        return parse_epc_uri(uri).gtin
    if is_digital_link_candidate(uri):
        return parse_digital_link(uri).gtin
    return None
