"""Writes of passports, lots, items and certificates: validation first, nothing half-written,
and every certificate signed and in the log."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from agora.accounts.services import actor_for_user
from agora.core import clock
from agora.core.audit import AuditEntry
from agora.core.errors import AgoraError
from agora.traceability import note
from agora.traceability.log.selectors import entry_for, proof_status
from agora.traceability.log.services import checkpoint_sign
from agora.traceability.log.signing import verifier_key
from agora.traceability.models import AuthenticityCertificate, Lot, TracedItem
from agora.traceability.passports import certificates
from agora.traceability.passports.services import (
    certificate_issue,
    certificate_transfer_redeem,
    certificate_transfer_start,
    items_serialise,
    lot_record,
    passport_update,
)
from agora.traceability.records import log_data
from tests.traceability.passports.conftest import GLN, GTIN14, SYSTEM, World

pytestmark = pytest.mark.django_db


def _problem(excinfo: pytest.ExceptionInfo[AgoraError]) -> str:
    return excinfo.value.problem.slug


def test_the_passport_is_stored_cleaned(world: World) -> None:
    passport = world.passport
    passport.refresh_from_db()
    assert passport.origin_country == "CN"
    assert passport.materials[1] == {
        "name": "celadon glaze",
        "share_percent": 5,
        "recycled_percent": 0,
    }
    assert str(passport.carbon_kg_co2e) == "2.40"
    assert passport.places == {GLN: "Jingdezhen kiln warehouse"}
    assert AuditEntry.objects.filter(action="passport.created").count() == 1


def test_an_update_changes_only_the_fields_given(world: World) -> None:
    passport = passport_update(actor=SYSTEM, product=world.product, changes={"manufacturer": "X"})
    assert passport.pk == world.passport.pk
    assert passport.manufacturer == "X"
    assert passport.origin_region == "Jiangxi"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            {"materials": [{"name": "a", "share_percent": 60}, {"name": "b", "share_percent": 41}]},
            "101",
        ),
        ({"materials": [{"name": "", "share_percent": 10}]}, "needs a name"),
        ({"materials": [{"name": "a", "share_percent": "lots"}]}, "not a number"),
        ({"certifications": [{"name": "FSC", "issuer": "FSC", "url": "ftp://x"}]}, "http(s)"),
        ({"certifications": [{"name": "FSC", "issuer": "FSC", "valid_until": "soon"}]}, "date"),
        ({"origin_country": "Germany"}, "alpha-2"),
        ({"carbon_kg_co2e": "-1"}, "between"),
        ({"places": {"4260712000003": "x"}}, "check digit"),
        ({"colour": "red"}, "unknown passport fields"),
    ],
)
def test_bad_passport_data_is_refused_naming_the_field(
    world: World, changes: dict, words: str
) -> None:
    with pytest.raises(AgoraError) as excinfo:
        passport_update(actor=SYSTEM, product=world.product, changes=changes)
    assert _problem(excinfo) == "passport-invalid"
    assert words in str(excinfo.value)


def test_another_sellers_staff_may_not_edit_the_passport(world: World) -> None:
    with pytest.raises(AgoraError) as excinfo:
        passport_update(
            actor=actor_for_user(world.buyer), product=world.product, changes={"manufacturer": "Y"}
        )
    assert _problem(excinfo) == "forbidden"


def test_items_get_the_14_digit_gtin_and_their_lot(world: World) -> None:
    item = TracedItem.objects.get(serial="SN0001")
    assert item.gtin == GTIN14
    assert item.lot == world.lot


def test_a_taken_serial_refuses_the_whole_batch(world: World) -> None:
    with pytest.raises(AgoraError) as excinfo:
        items_serialise(actor=SYSTEM, variant=world.variant, serials=["SN0003", "SN0001"])
    assert _problem(excinfo) == "trace-serial-duplicate"
    assert "SN0001" in str(excinfo.value)
    assert not TracedItem.objects.filter(serial="SN0003").exists()


@pytest.mark.parametrize("serials", [["ok", "ok"], ["has space"], ["X" * 21], ["é"], []])
def test_bad_serials_are_refused(world: World, serials: list[str]) -> None:
    with pytest.raises(AgoraError) as excinfo:
        items_serialise(actor=SYSTEM, variant=world.variant, serials=serials)
    assert _problem(excinfo) == "trace-serial-invalid"


def test_a_variant_without_gtin_cannot_be_serialised(world: World) -> None:
    world.variant.gtin = ""
    with pytest.raises(AgoraError, match="has no GTIN"):
        items_serialise(actor=SYSTEM, variant=world.variant, serials=["A1"])


def test_lots_are_unique_per_variant_and_checked(world: World) -> None:
    with pytest.raises(AgoraError) as excinfo:
        lot_record(
            actor=SYSTEM, variant=world.variant, code="L2026-01",
            produced_on=date(2026, 2, 1), quantity=1,
        )  # fmt: skip
    assert _problem(excinfo) == "trace-serial-duplicate"
    with pytest.raises(AgoraError, match="before produced_on"):
        lot_record(
            actor=SYSTEM, variant=world.variant, code="L2", produced_on=date(2026, 2, 1),
            quantity=1, best_before=date(2026, 1, 1),
        )  # fmt: skip
    assert Lot.objects.count() == 1


def test_a_certificate_is_signed_logged_and_verifiable_offline(world: World) -> None:
    item = world.items[0]
    cert = certificate_issue(actor=SYSTEM, item=item, holder=world.buyer)
    payload = json.loads(bytes(cert.payload))
    assert payload["item"] == {"gtin": GTIN14, "serial": "SN0001", "lot": "L2026-01"}
    assert payload["digital_link"].endswith(f"/01/{GTIN14}/21/SN0001")
    assert payload["holder"] == cert.holder_ref
    assert "buyer@example.org" not in bytes(cert.payload).decode()
    # The signed note opens with the log's public key alone.
    text = note.open_note(
        certificates.signed_note(bytes(cert.payload), bytes(cert.signature), cert.verifier_key),
        verifier_key(),
    )
    assert text == bytes(cert.payload).decode() + "\n"
    # The same bytes are the log entry; after a checkpoint the inclusion proof checks.
    entry = entry_for(kind="certificate", ref=cert.public_id)
    logged = log_data(kind=entry.kind, ref=cert.public_id, record=json.loads(bytes(cert.payload)))
    assert entry is not None and bytes(entry.data) == logged
    assert entry.index == cert.log_index
    checkpoint_sign()
    status = proof_status(kind="certificate", ref=cert.public_id)
    assert status.verified and status.checkpoint_size >= 1


def test_a_tampered_payload_no_longer_verifies(world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    tampered = bytes(cert.payload).replace(b"SN0001", b"SN0009")
    assert certificates.verify(bytes(cert.payload), bytes(cert.signature), cert.verifier_key)
    assert not certificates.verify(tampered, bytes(cert.signature), cert.verifier_key)


def test_one_active_certificate_per_item(world: World) -> None:
    certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    with pytest.raises(AgoraError) as excinfo:
        certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.other_buyer)
    assert _problem(excinfo) == "certificate-exists"


def test_a_buyer_cannot_issue_certificates(world: World) -> None:
    with pytest.raises(AgoraError) as excinfo:
        certificate_issue(
            actor=actor_for_user(world.buyer), item=world.items[0], holder=world.buyer
        )
    assert _problem(excinfo) == "forbidden"


def test_the_holder_transfers_to_a_resale_buyer_with_a_one_time_code(world: World) -> None:
    first = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    code = certificate_transfer_start(actor=actor_for_user(world.buyer), certificate=first)
    first.refresh_from_db()
    assert first.transfer_code_hash == certificates.code_hash(code)
    assert code not in first.transfer_code_hash
    # Typed by a person: lower case, spaces, no dashes.
    typed = code.lower().replace("-", " ")
    second = certificate_transfer_redeem(
        actor=actor_for_user(world.other_buyer), code=typed, new_holder=world.other_buyer
    )
    first.refresh_from_db()
    assert first.status == AuthenticityCertificate.Status.TRANSFERRED
    assert second.previous == first and second.holder == world.other_buyer
    assert json.loads(bytes(second.payload))["previous"] == first.public_id
    assert second.log_index == first.log_index + 1
    # The code worked once.
    with pytest.raises(AgoraError) as excinfo:
        certificate_transfer_redeem(
            actor=actor_for_user(world.buyer), code=code, new_holder=world.buyer
        )
    assert _problem(excinfo) == "certificate-transfer-code-invalid"


def test_only_the_holder_may_start_a_transfer(world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    with pytest.raises(AgoraError) as excinfo:
        certificate_transfer_start(actor=actor_for_user(world.other_buyer), certificate=cert)
    assert _problem(excinfo) == "forbidden"


def test_an_expired_or_wrong_code_transfers_nothing(world: World) -> None:
    cert = certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    code = certificate_transfer_start(actor=actor_for_user(world.buyer), certificate=cert)
    actor = actor_for_user(world.other_buyer)
    for wrong in ("", "AAAA-AAAA-AAAA-AAAA"):
        with pytest.raises(AgoraError):
            certificate_transfer_redeem(actor=actor, code=wrong, new_holder=world.other_buyer)
    with clock.frozen_at(clock.now() + timedelta(days=15)), pytest.raises(AgoraError):
        certificate_transfer_redeem(actor=actor, code=code, new_holder=world.other_buyer)
    cert.refresh_from_db()
    assert cert.status == AuthenticityCertificate.Status.ACTIVE
    assert AuthenticityCertificate.objects.count() == 1


def test_a_certified_variant_or_product_cannot_be_deleted(world: World, api) -> None:  # type: ignore[no-untyped-def]
    """An issued certificate is public evidence: the catalogue edit is refused with a 409 that
    names what keeps it, and nothing (variant, audit entry, event) is written."""
    certificate_issue(actor=SYSTEM, item=world.items[0], holder=world.buyer)
    audits_before = AuditEntry.objects.count()
    gone_product = api.delete(f"/api/v1/seller/products/{world.product.public_id}")
    assert AuditEntry.objects.count() == audits_before
    api.post(f"/api/v1/seller/products/{world.product.public_id}/unpublish")
    audits_before = AuditEntry.objects.count()
    gone_variant = api.delete(f"/api/v1/seller/variants/{world.variant.public_id}")
    for response in (gone_variant, gone_product):
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["type"].endswith("/catalog-kept-records")
        assert "authenticity certificates" in body["detail"]
    assert TracedItem.objects.filter(variant=world.variant).count() == 2
    assert AuditEntry.objects.count() == audits_before
