"""Label services: evidence required to request and to grant, operator review, challenges, and
the sweep that withdraws labels whose evidence expired or whose rule stopped holding."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from agora.sustainability.labels.services import (
    challenge_decide,
    label_challenge,
    label_request,
    label_review,
    labels_sweep,
)
from agora.sustainability.models import GreenLabel, LabelChallenge
from agora.traceability.passports.services import passport_update
from tests.sustainability.labels.helpers import (
    OPERATOR,
    SYSTEM,
    product_with_passport,
    seller_actor,
)

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("cert.png", buffer.getvalue(), content_type="image/png")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%demo\n", content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_request_without_evidence_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    with pytest.raises(AgoraError) as caught:
        label_request(actor=seller_actor(seller), product=product, kind="certified",
                      scheme="Blue Angel")  # fmt: skip
    assert caught.value.problem.slug == "label-evidence-missing"
    assert not GreenLabel.objects.exists()


def test_cannot_grant_without_evidence(seller) -> None:  # type: ignore[no-untyped-def]
    """A row whose certificate file has gone (or that never had evidence) is not granted."""
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller),
        product=product,
        kind="certified",
        scheme="Blue Angel",
        document=_pdf(),
        expires_on=clock.now().date() + timedelta(days=300),
    )
    assert default_storage.exists(label.document_path)
    default_storage.delete(label.document_path)
    with pytest.raises(AgoraError) as caught:
        label_review(actor=OPERATOR, label=label, grant=True)
    assert caught.value.problem.slug == "label-evidence-missing"
    assert "certificate file is missing" in caught.value.detail
    label.refresh_from_db()
    assert label.status == "pending"
    bare = GreenLabel.objects.create(
        product=product, seller=seller, kind="organic", scheme="EU organic", evidence="url",
        expires_on=label.expires_on, requested_at=clock.now(), requested_by="x",
    )  # fmt: skip
    with pytest.raises(AgoraError) as caught:
        label_review(actor=OPERATOR, label=bare, grant=True)
    assert caught.value.problem.slug == "label-evidence-missing"


def test_document_label_is_granted_by_an_operator_only(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller), product=product, kind="organic", scheme="EU organic",
        document=_png(), expires_on=clock.now().date() + timedelta(days=30),
    )  # fmt: skip
    assert label.document_type == "image/png"
    with pytest.raises(AgoraError) as caught:
        label_review(actor=seller_actor(seller), label=label, grant=True)
    assert caught.value.problem.slug == "forbidden"
    granted = label_review(actor=OPERATOR, label=label, grant=True)
    assert granted.status == "granted" and granted.reviewed_by == "op@agora.test"
    actions = list(
        AuditEntry.objects.filter(target_id=label.public_id)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["green_label.requested", "green_label.granted"]
    with pytest.raises(AgoraError) as caught:
        label_review(actor=OPERATOR, label=label, grant=True)
    assert caught.value.problem.slug == "invalid-state-transition"


def test_refusing_needs_a_reason_and_a_fake_document_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    with pytest.raises(AgoraError) as caught:
        label_request(
            actor=seller_actor(seller), product=product, kind="certified", scheme="X",
            document=SimpleUploadedFile("cert.pdf", b"<html>no</html>"),
            expires_on=clock.now().date() + timedelta(days=30),
        )  # fmt: skip
    assert "not a PDF" in caught.value.detail
    label = label_request(
        actor=seller_actor(seller), product=product, kind="certified", scheme="X",
        evidence_url="https://issuer.example/cert/1", evidence_number="X-1",
        expires_on=clock.now().date() + timedelta(days=30),
    )  # fmt: skip
    with pytest.raises(AgoraError):
        label_review(actor=OPERATOR, label=label, grant=False)
    refused = label_review(actor=OPERATOR, label=label, grant=False, note="number unknown")
    assert refused.status == "refused" and refused.review_note == "number unknown"


def test_rule_label_stores_its_figures_and_refuses_when_rule_fails(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller), product=product, kind="recycled_content", use_rule=True
    )
    assert label.rule == "recycled_content_50"
    assert label.rule_figures["recycled_percent"] == "63.0"  # 70 x 90 % + 30 x 0 %
    assert label.expires_on == clock.now().date() + timedelta(days=365)
    poor = product_with_passport(
        seller, "Clay cup",
        {"materials": [{"name": "clay", "share_percent": 100, "recycled_percent": 10}]},
    )  # fmt: skip
    with pytest.raises(AgoraError) as caught:
        label_request(actor=seller_actor(seller), product=poor, kind="recycled_content",
                      use_rule=True)  # fmt: skip
    assert caught.value.problem.slug == "label-rule-not-met"
    assert "10.0 %" in caught.value.detail
    with pytest.raises(AgoraError) as caught:
        label_request(actor=seller_actor(seller), product=poor, kind="organic",
                      scheme="EU organic", use_rule=True)  # fmt: skip
    assert caught.value.problem.slug == "label-invalid"


def test_one_live_label_per_kind(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label_request(actor=seller_actor(seller), product=product, kind="repairable", use_rule=True)
    with pytest.raises(AgoraError) as caught:
        label_request(actor=seller_actor(seller), product=product, kind="repairable",
                      use_rule=True)  # fmt: skip
    assert caught.value.problem.slug == "label-exists"


def test_challenge_upheld_withdraws_the_label(seller) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller), product=product, kind="repairable", use_rule=True
    )
    with pytest.raises(AgoraError):  # only granted labels can be challenged
        label_challenge(actor=SYSTEM, label=label, reason="I could not get spare parts.")
    label_review(actor=OPERATOR, label=label, grant=True)
    with pytest.raises(AgoraError):
        label_challenge(actor=SYSTEM, label=label, reason="short")
    dismissed = label_challenge(actor=SYSTEM, label=label, reason="The brand says 2 years only.")
    challenge_decide(actor=OPERATOR, challenge=dismissed, upheld=False, note="10 years confirmed")
    label.refresh_from_db()
    assert label.status == "granted"
    upheld = label_challenge(actor=SYSTEM, label=label, reason="Workshop closed in March.")
    with pytest.raises(AgoraError):
        challenge_decide(actor=seller_actor(seller), challenge=upheld, upheld=True, note="x")
    challenge_decide(actor=OPERATOR, challenge=upheld, upheld=True, note="workshop closed")
    label.refresh_from_db()
    assert label.status == "withdrawn"
    assert "challenge upheld: workshop closed" in label.withdrawn_reason
    assert LabelChallenge.objects.get(pk=upheld.pk).status == "upheld"
    with pytest.raises(AgoraError):
        challenge_decide(actor=OPERATOR, challenge=upheld, upheld=True, note="again")


def test_sweep_withdraws_expired_and_failing_rules_only(seller) -> None:  # type: ignore[no-untyped-def]
    bike = product_with_passport(seller)
    rule_label = label_request(
        actor=seller_actor(seller), product=bike, kind="repairable", use_rule=True
    )
    label_review(actor=OPERATOR, label=rule_label, grant=True)
    cert = label_request(
        actor=seller_actor(seller), product=bike, kind="organic", scheme="EU organic",
        evidence_url="https://issuer.example/c", evidence_number="EU-1",
        expires_on=clock.now().date() + timedelta(days=10),
    )  # fmt: skip
    label_review(actor=OPERATOR, label=cert, grant=True)
    other = product_with_passport(seller, "Cargo bike")
    lasting = label_request(
        actor=seller_actor(seller), product=other, kind="repairable", use_rule=True
    )
    label_review(actor=OPERATOR, label=lasting, grant=True)
    assert labels_sweep(actor=SYSTEM) == []
    # The seller shortens spare parts to 3 years: the computed label no longer holds.
    passport_update(actor=SYSTEM, product=bike, changes={"spare_parts_years": 3})
    with clock.frozen_at(clock.now() + timedelta(days=11)):
        withdrawn = labels_sweep(actor=SYSTEM)
    assert sorted(withdrawn) == sorted([rule_label.public_id, cert.public_id])
    rule_label.refresh_from_db()
    cert.refresh_from_db()
    lasting.refresh_from_db()
    assert rule_label.status == cert.status == "withdrawn"
    assert "3 years" in rule_label.withdrawn_reason
    assert "expired" in cert.withdrawn_reason
    assert lasting.status == "granted"
