"""The demo's traceability data (agora/demo/traceability.py): plausible, valid, idempotent."""

from __future__ import annotations

import json

from agora.demo.generate import build_spec
from agora.demo.traceability import certified_item, journey_documents, traceability_spec
from agora.traceability.epcis.identifiers import gln_check, gtin_normalise
from agora.traceability.epcis.validate import validate_document
from agora.traceability.passports.services import _clean_passport

SPEC = build_spec()


def test_every_demo_product_has_a_passport_the_service_accepts() -> None:
    plan = traceability_spec(SPEC)
    assert len(plan.passports) == len(SPEC.products)
    for key, passport in plan.passports.items():
        clean = _clean_passport(passport)  # raises on anything the service would refuse
        assert clean["origin_country"], key
        for place in clean["places"]:
            assert gln_check(place) == place


def test_the_serialised_products_are_high_value_with_valid_gtins() -> None:
    plan = traceability_spec(SPEC)
    assert len(plan.serialised) == 5
    for product in plan.serialised:
        gtin_normalise(product.gtin)
        assert len(set(product.serials)) == len(product.serials) == 3
    bike, serial = certified_item(SPEC)
    assert bike.seller == "fietsfabriek-utrecht" and serial == bike.serials[0]


def test_the_journeys_are_valid_epcis_with_stable_event_ids() -> None:
    from datetime import date

    first = list(journey_documents(SPEC, today=date(2026, 11, 26)))
    again = list(journey_documents(SPEC, today=date(2026, 11, 27)))
    assert [ids for _, ids, _ in first] == [ids for _, ids, _ in again]
    for _, ids, document in first:
        report = validate_document(json.dumps(document))
        assert report.ok, report.problems
        assert [e["eventID"] for e in report.events] == ids
