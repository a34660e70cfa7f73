"""GS1 identifiers: GTIN/GLN check digits, EPC URNs (TDS) and GS1 Digital Links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from agora.traceability.epcis.identifiers import (
    IdentifierError,
    digital_link_uri,
    epc_to_gtin,
    gln_check,
    gtin_normalise,
    parse_digital_link,
    parse_epc_uri,
)

# GS1's own example keys (GS1 General Specifications, EPCIS and Digital Link standards).
GTIN14 = "09506000134352"


@pytest.mark.parametrize(
    ("gtin", "expected"),
    [
        ("09506000134352", "09506000134352"),
        ("9506000134352", "09506000134352"),  # GTIN-13
        ("614141123452", "00614141123452"),  # GTIN-12 (UPC-A)
        ("96385074", "00000096385074"),  # GTIN-8
        ("80614141123458", "80614141123458"),
    ],
)
def test_gtin_normalise_pads_to_14_digits(gtin, expected):
    assert gtin_normalise(gtin) == expected


@pytest.mark.parametrize(
    ("gtin", "rule", "words"),
    [
        ("09506000134353", "gtin-check-digit", "expected 2"),
        ("9506000134350", "gtin-check-digit", "expected 2"),
        ("950600013435", "gtin-check-digit", "check digit"),  # 12 digits, wrong check
        ("0950600013435", "gtin-check-digit", "check digit"),
        ("123456789", "identifier", "expected 8/12/13/14"),
        ("0950600013435A", "identifier", "digits only"),
        ("٠٩٥٠٦٠٠٠١٣٤٣٥٢", "identifier", "digits only"),  # Arabic-Indic digits are not GS1
        ("", "identifier", "digits only"),
    ],
)
def test_gtin_normalise_rejects_with_the_rule(gtin, rule, words):
    with pytest.raises(IdentifierError) as caught:
        gtin_normalise(gtin)
    assert caught.value.rule == rule
    assert words in str(caught.value)
    assert repr(gtin) in str(caught.value)


def test_gln_check():
    assert gln_check("9506000134307") == "9506000134307"
    with pytest.raises(IdentifierError, match="GLN '9506000134308' has check digit 8"):
        gln_check("9506000134308")
    with pytest.raises(IdentifierError, match="13"):
        gln_check("950600013430")


# --- EPC URNs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "key", "fields"),
    [
        # TDS 2.x examples: the check digit is not in the URN and is computed back.
        ("urn:epc:id:sgtin:0614141.812345.6789", "80614141123458", {"serial": "6789"}),
        ("urn:epc:id:sgtin:4012345.011122.25", "04012345111224", {"serial": "25"}),
        ("urn:epc:id:sgtin:0614141.712345.32a%2Fb", "70614141123451", {"serial": "32a/b"}),
        ("urn:epc:id:sgtin:0614141.712345.a:b", "70614141123451", {"serial": "a:b"}),
        ("urn:epc:id:sscc:0614141.1234567890", "106141412345678908", {}),
        ("urn:epc:id:sgln:0614141.12345.400", "0614141123452", {"extension": "400"}),
        ("urn:epc:id:sgln:0614141.00777.0", "0614141007776", {"extension": None}),
        ("urn:epc:id:pgln:0614141.00001", "0614141000012", {}),
        ("urn:epc:id:grai:0614141.12345.400", "006141411234524" + "00", {"serial": "400"}),
        ("urn:epc:id:giai:0614141.12345400", "061414112345400", {}),
        ("urn:epc:class:lgtin:4012345.012345.998877", "04012345123456", {"lot": "998877"}),
        ("urn:epc:idpat:sgtin:4012345.066666.*", "04012345666663", {"serial": None}),
        ("urn:epc:id:gdti:0614141.00001.1618034", "06141410000121618034", {}),
        ("urn:epc:id:gsrn:0614141.0000010253", "061414100000102534", {}),
    ],
)
def test_parse_epc_uri_rebuilds_the_gs1_key(uri, key, fields):
    epc = parse_epc_uri(uri)
    assert epc.key == key
    for name, value in fields.items():
        assert getattr(epc, name) == value
    if epc.scheme in {"sgtin", "lgtin"}:
        assert epc.gtin == key and ean.is_valid(key)


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("urn:epc:id:sgtin:0614141.8123456.6789", "13 digits together"),  # check digit left in
        ("urn:epc:id:sgtin:0614141.81234.6789", "13 digits together"),
        ("urn:epc:id:sgtin:06141.8123456.6789", "6-12 digits"),
        ("urn:epc:id:sgtin:0614141.812345", "sgtin must be"),
        ("urn:epc:id:sgtin:0614141.812345.", "serial"),
        ("urn:epc:id:sgtin:0614141.812345.a/b", "%-escaped"),
        ("urn:epc:id:sgtin:0614141.812345.%zz", "malformed %-escape"),
        ("urn:epc:id:sgtin:0614141.812345.123456789012345678901", "1-20 characters"),
        ("urn:epc:id:sscc:0614141.123456789", "17 digits"),
        ("urn:epc:id:sgln:0614141.1234.0", "12 digits"),
        ("urn:epc:class:lgtin:4012345.012345", "lgtin"),
        ("urn:epc:id:widget:1.2", "unknown EPC scheme"),
        ("urn:epc:thing:sgtin:0614141.812345.6789", "unknown EPC URI kind"),
        ("urn:epc:idpat:sgtin:4012345.*.1", "every later field"),
        ("URN:EPC:ID:SGTIN:0614141.812345.6789", "lowercase"),
    ],
)
def test_parse_epc_uri_rejects_naming_value_and_rule(uri, words):
    with pytest.raises(IdentifierError) as caught:
        parse_epc_uri(uri)
    assert caught.value.rule == "epc-uri"
    assert words in str(caught.value)
    assert repr(uri) in str(caught.value)


# --- GS1 Digital Link -----------------------------------------------------------------------


def test_parse_digital_link_with_custom_path_qualifiers_and_query():
    link = parse_digital_link(
        "HTTPS://Example.ORG/shop/dl/01/9506000134352/22/V%2B1/10/AB%2F12/21/x%25y?17=261231&linkType=gs1:pip"
    )
    assert link.gtin == GTIN14  # GTIN-13 padded
    assert link.lot == "AB/12" and link.serial == "x%y"
    assert link.path_qualifiers == (("22", "V+1"), ("10", "AB/12"), ("21", "x%y"))
    assert link.query == {"17": "261231", "linkType": "gs1:pip"}
    assert link.base == "https://example.org/shop/dl"
    assert link.uri == "https://example.org/shop/dl/01/09506000134352/22/V%2B1/10/AB%2F12/21/x%25y"


@pytest.mark.parametrize(
    ("uri", "field", "value"),
    [
        ("https://id.gs1.org/00/106141412345678908", "sscc", "106141412345678908"),
        ("https://id.gs1.org/414/9506000134307", "gln", "9506000134307"),
        ("https://id.gs1.org/414/9506000134307/254/5678", "gln", "9506000134307"),
        ("https://id.example.com/8003/040123450007718765", "primary_value", "040123450007718765"),
        ("https://example.org/8004/4000001111-20190402T150000000", "primary_ai", "8004"),
        ("https://id.gs1.org/01/09506000134352/235/TPX1", "serial", None),
    ],
)
def test_parse_digital_link_other_keys(uri, field, value):
    assert getattr(parse_digital_link(uri), field) == value


@pytest.mark.parametrize(
    ("uri", "rule", "words"),
    [
        ("https://id.gs1.org/01/09506000134353/21/1", "gtin-check-digit", "expected 2"),
        ("https://id.gs1.org/414/9506000134308", "check-digit", "GLN"),
        ("https://id.gs1.org/00/106141412345678900", "check-digit", "SSCC"),
        ("https://id.gs1.org/01/09506000134352/21/1/10/A", "digital-link", "in order: 22, 10"),
        ("https://id.gs1.org/01/09506000134352/17/261231", "digital-link", "not a key qualifier"),
        ("https://id.gs1.org/01/09506000134352/21/a%zz", "digital-link", "malformed %-escape"),
        ("https://id.gs1.org/01/09506000134352/21/" + "x" * 21, "digital-link", "1-20"),
        ("https://id.gs1.org/01/09506000134352/21/%C3%A9", "digital-link", "character set 82"),
        ("https://id.gs1.org/01/0950600013435X", "digital-link", "digits only"),
        ("https://id.gs1.org/products/123", "digital-link", "no GS1 primary key"),
        ("ftp://id.gs1.org/01/09506000134352", "digital-link", "http(s)"),
        ("https://id.gs1.org/01/09506000134352#x", "digital-link", "fragment"),
        ("https://id.gs1.org/01/09506000134352/21/a b", "digital-link", "space"),
    ],
)
def test_parse_digital_link_rejects_with_the_rule(uri, rule, words):
    with pytest.raises(IdentifierError) as caught:
        parse_digital_link(uri)
    assert caught.value.rule == rule
    assert words in str(caught.value)


def test_digital_link_uri_is_canonical():
    assert (
        digital_link_uri(base="https://example.org/", gtin="9506000134352", serial="A/1", lot="L1")
        == "https://example.org/01/09506000134352/10/L1/21/A%2F1"
    )
    assert digital_link_uri(base="https://x.org/p", gtin=GTIN14) == "https://x.org/p/01/" + GTIN14
    with pytest.raises(IdentifierError, match="check digit"):
        digital_link_uri(base="https://example.org", gtin="09506000134353")
    with pytest.raises(IdentifierError, match="character set 82"):
        digital_link_uri(base="https://example.org", gtin=GTIN14, serial="é")
    with pytest.raises(IdentifierError, match="http"):
        digital_link_uri(base="example.org", gtin=GTIN14)


def test_epc_and_digital_link_name_the_same_gtin():
    assert epc_to_gtin("urn:epc:id:sgtin:0614141.712345.2017") == "70614141123451"
    assert epc_to_gtin("https://id.gs1.org/01/70614141123451/21/2017") == "70614141123451"
    assert epc_to_gtin("urn:epc:class:lgtin:4012345.012345.998877") == "04012345123456"
    assert epc_to_gtin("urn:epc:id:sscc:0614141.1234567890") is None
    assert epc_to_gtin("https://example.com/things/42") is None
    assert epc_to_gtin("urn:example:thing:42") is None
    with pytest.raises(IdentifierError):
        epc_to_gtin("https://id.gs1.org/01/70614141123452")


# --- properties -----------------------------------------------------------------------------

gtin_bodies = st.text(alphabet="0123456789", min_size=13, max_size=13)
cset82 = st.text(alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCXYZ_abcxyz", min_size=1, max_size=20)


@given(body=gtin_bodies, serial=st.none() | cset82, lot=st.none() | cset82)
def test_digital_link_round_trip(body, serial, lot):
    gtin = body + ean.calc_check_digit(body)
    uri = digital_link_uri(base="https://example.org/dl", gtin=gtin, serial=serial, lot=lot)
    link = parse_digital_link(uri)
    assert (link.gtin, link.serial, link.lot) == (gtin, serial, lot)
    assert link.base == "https://example.org/dl"
    assert link.uri == uri


@given(body=gtin_bodies, digit=st.sampled_from("0123456789"))
def test_any_wrong_check_digit_is_caught(body, digit):
    right = ean.calc_check_digit(body)
    gtin = body + digit
    if digit == right:
        assert gtin_normalise(gtin) == gtin
    else:
        with pytest.raises(IdentifierError) as caught:
            parse_digital_link("https://example.org/01/" + gtin)
        assert caught.value.rule == "gtin-check-digit"


@given(prefix_len=st.integers(6, 12), digits=st.text("0123456789", min_size=13, max_size=13))
def test_sgtin_gtin_matches_the_digital_link_gtin(prefix_len, digits):
    """An sgtin URN and the Digital Link of the GTIN it encodes name the same 14 digits."""
    indicator, rest = digits[0], digits[1:]
    prefix, item = rest[:prefix_len], indicator + rest[prefix_len:]
    gtin = epc_to_gtin(f"urn:epc:id:sgtin:{prefix}.{item}.1")
    assert gtin is not None and gtin[:13] == indicator + rest and ean.is_valid(gtin)
    assert parse_digital_link(digital_link_uri(base="https://e.org", gtin=gtin)).gtin == gtin
