"""Every write of green labels and their challenges.

Keyword-only, one transaction each, validation before the first write, an audit entry per change.
The one rule that matters most: **no label is granted without evidence** that is there at the
moment of granting (the document still stored, the certificate URL and number given, or the
rule recomputed and holding) and not expired. Requests refuse missing evidence too, so a label
without evidence never exists; the check at grant time catches evidence lost since.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from agora.catalog.models import Product
from agora.core import clock
from agora.core.actors import Actor
from agora.core.audit import audit_record
from agora.core.errors import FORBIDDEN, INVALID_TRANSITION, AgoraError, FieldError
from agora.marketplace.permissions import require_seller_access
from agora.sustainability.labels import documents, rules
from agora.sustainability.labels.errors import (
    LABEL_EVIDENCE_MISSING,
    LABEL_EXISTS,
    LABEL_INVALID,
    LABEL_RULE_NOT_MET,
)
from agora.sustainability.labels.facts import product_facts
from agora.sustainability.models import GreenLabel, LabelChallenge

Kind, Evidence, Status = GreenLabel.Kind, GreenLabel.Evidence, GreenLabel.Status

# Which evidence each kind accepts: claims about a product's make-up can be computed from its
# passport; organic, delivery and scheme claims need a third party's certificate.
ACCEPTED_EVIDENCE = {
    Kind.RECYCLED_CONTENT: {Evidence.DOCUMENT, Evidence.URL, Evidence.RULE},
    Kind.REPAIRABLE: {Evidence.DOCUMENT, Evidence.URL, Evidence.RULE},
    Kind.ORGANIC: {Evidence.DOCUMENT, Evidence.URL},
    Kind.LOW_CARBON_DELIVERY: {Evidence.DOCUMENT, Evidence.URL, Evidence.RULE},
    Kind.CERTIFIED: {Evidence.DOCUMENT, Evidence.URL},
}
NEEDS_SCHEME = {Kind.ORGANIC, Kind.CERTIFIED}
# A computed label is rechecked daily, but an operator looks at it again at least once a year.
RULE_VALIDITY_DAYS = 365
MAX_VALIDITY_DAYS = 5 * 365
MIN_CHALLENGE_CHARS = 10
MAX_CHALLENGE_CHARS = 2000


def _refuse(problem: Any, field: str, message: str) -> AgoraError:
    return AgoraError(problem, f"{field}: {message}", [FieldError(field, message)])


def _require_operator(actor: Actor) -> None:
    if not (actor.kind == "system" or actor.is_operator):
        raise AgoraError(FORBIDDEN, f"{actor.label} is not an operator; only operators review")


def label_request(
    *,
    actor: Actor,
    product: Product,
    kind: str,
    scheme: str = "",
    document: UploadedFile | None = None,
    evidence_url: str = "",
    evidence_number: str = "",
    use_rule: bool = False,
    expires_on: date | None = None,
) -> GreenLabel:
    """A seller asks for a label with exactly one piece of evidence; it waits for review."""
    require_seller_access(actor, product.seller, "catalog:write")
    if kind not in Kind.values:
        raise _refuse(LABEL_INVALID, "kind", f"{kind!r} is not one of {', '.join(Kind.values)}")
    scheme = scheme.strip()
    if kind in NEEDS_SCHEME and not scheme:
        raise _refuse(LABEL_INVALID, "scheme", f"a {kind} label names its scheme or certifier")
    if len(scheme) > 200:
        raise _refuse(LABEL_INVALID, "scheme", "at most 200 characters")
    given = [
        e
        for e, present in (
            (Evidence.DOCUMENT, document is not None),
            (Evidence.URL, bool(evidence_url.strip() or evidence_number.strip())),
            (Evidence.RULE, use_rule),
        )
        if present
    ]
    if not given:
        raise _refuse(
            LABEL_EVIDENCE_MISSING,
            "evidence",
            "upload the certificate, give its URL and number, or choose the computed rule",
        )
    if len(given) > 1:
        raise _refuse(LABEL_INVALID, "evidence", "give one piece of evidence, not several")
    evidence = given[0]
    if evidence not in ACCEPTED_EVIDENCE[Kind(kind)]:
        raise _refuse(LABEL_INVALID, "evidence", f"a {kind} label cannot rest on {evidence}")
    today = clock.now().date()
    values: dict[str, Any] = {}
    if evidence == Evidence.RULE:
        code = rules.RULE_FOR_KIND[kind]
        result = rules.evaluate(code, product_facts(product.pk))
        if not result.holds:
            raise _refuse(LABEL_RULE_NOT_MET, "rule", result.summary)
        values.update(rule=code, rule_figures=result.figures)
        expires_on = expires_on or today + timedelta(days=RULE_VALIDITY_DAYS)
    if evidence == Evidence.URL:
        url, number = evidence_url.strip(), evidence_number.strip()
        parts = urlsplit(url)
        if parts.scheme not in {"https", "http"} or not parts.netloc or len(url) > 500:
            raise _refuse(LABEL_EVIDENCE_MISSING, "evidence_url", f"{url!r} is not a web address")
        if not number or len(number) > 120:
            raise _refuse(LABEL_EVIDENCE_MISSING, "evidence_number", "give the certificate number")
        values.update(evidence_url=url, evidence_number=number)
    if expires_on is None:
        raise _refuse(LABEL_INVALID, "expires_on", "give the date the certificate expires")
    if expires_on <= today:
        raise _refuse(LABEL_INVALID, "expires_on", f"{expires_on} is not in the future")
    if expires_on > today + timedelta(days=MAX_VALIDITY_DAYS):
        raise _refuse(LABEL_INVALID, "expires_on", f"{expires_on} is more than 5 years ahead")
    stored = None
    if evidence == Evidence.DOCUMENT:
        assert document is not None
        stored = documents.document_store(document, product_public_id=product.public_id)
        values.update(
            document_path=stored.path,
            document_name=stored.name,
            document_type=stored.content_type,
        )
    try:
        with transaction.atomic():
            live = GreenLabel.objects.filter(
                product=product, kind=kind, scheme=scheme, status__in=[Status.PENDING,
                                                                       Status.GRANTED]
            )  # fmt: skip
            if live.exists():
                raise AgoraError(LABEL_EXISTS, f"{product.public_id} already has a {kind} label")
            label = GreenLabel.objects.create(
                product=product,
                seller=product.seller,
                kind=kind,
                scheme=scheme,
                evidence=evidence,
                expires_on=expires_on,
                requested_at=clock.now(),
                requested_by=actor.label,
                **values,
            )
            audit_record(
                actor=actor,
                action="green_label.requested",
                target=label,
                changes={"kind": kind, "scheme": scheme, "evidence": evidence,
                         "expires_on": expires_on.isoformat(), "product": product.public_id},
                seller_id=product.seller_id,
            )  # fmt: skip
    except IntegrityError:
        if stored:
            documents.document_delete(stored.path)
        raise AgoraError(LABEL_EXISTS, f"{product.public_id} already has a {kind} label") from None
    except BaseException:
        if stored:
            documents.document_delete(stored.path)
        raise
    return label


def evidence_check(label: GreenLabel, *, today: date | None = None) -> dict[str, Any]:
    """Raises LABEL_EVIDENCE_MISSING (or LABEL_RULE_NOT_MET) unless the label's evidence is
    there and current; returns the rule's fresh figures (empty for certificates)."""
    today = today or clock.now().date()
    if label.expires_on < today:
        raise _refuse(
            LABEL_EVIDENCE_MISSING, "expires_on", f"the evidence expired on {label.expires_on}"
        )
    if label.evidence == Evidence.DOCUMENT:
        if not documents.document_exists(label.document_path):
            raise _refuse(LABEL_EVIDENCE_MISSING, "document", "the certificate file is missing")
        return {}
    if label.evidence == Evidence.URL:
        if not (label.evidence_url and label.evidence_number):
            raise _refuse(
                LABEL_EVIDENCE_MISSING, "evidence_url", "the certificate URL or number is missing"
            )
        return {}
    if label.evidence == Evidence.RULE and label.rule:
        result = rules.evaluate(label.rule, product_facts(label.product_id))
        if not result.holds:
            raise _refuse(LABEL_RULE_NOT_MET, "rule", result.summary)
        return result.figures
    raise _refuse(LABEL_EVIDENCE_MISSING, "evidence", f"{label.public_id} has no evidence")


def _locked(label: GreenLabel) -> GreenLabel:
    return GreenLabel.objects.select_for_update().get(pk=label.pk)


def label_review(*, actor: Actor, label: GreenLabel, grant: bool, note: str = "") -> GreenLabel:
    """The operator's decision on a pending label. Granting checks the evidence again."""
    _require_operator(actor)
    note = note.strip()[:300]
    with transaction.atomic():
        label = _locked(label)
        if label.status != Status.PENDING:
            raise AgoraError(
                INVALID_TRANSITION, f"{label.public_id} is {label.status}, not pending review"
            )
        changes: dict[str, Any] = {"status": [label.status, ""]}
        if grant:
            figures = evidence_check(label)
            if label.evidence == Evidence.RULE:
                label.rule_figures = figures
            label.status = Status.GRANTED
        else:
            if not note:
                raise _refuse(LABEL_INVALID, "note", "say why the label is refused")
            label.status = Status.REFUSED
        label.reviewed_at = clock.now()
        label.reviewed_by = actor.label
        label.review_note = note
        label.save()
        changes["status"][1] = label.status
        changes["note"] = note
        audit_record(
            actor=actor,
            action="green_label.granted" if grant else "green_label.refused",
            target=label,
            changes=changes,
            seller_id=label.seller_id,
        )
    return label


def label_withdraw(*, actor: Actor, label: GreenLabel, reason: str) -> GreenLabel:
    """Takes a pending or granted label off the product: by an operator or a scheduled job, or
    by its own seller."""
    if not (actor.kind == "system" or actor.is_operator):
        require_seller_access(actor, label.seller, "catalog:write")
    reason = reason.strip()[:300]
    if not reason:
        raise _refuse(LABEL_INVALID, "reason", "say why the label is withdrawn")
    with transaction.atomic():
        label = _locked(label)
        if label.status not in (Status.PENDING, Status.GRANTED):
            raise AgoraError(INVALID_TRANSITION, f"{label.public_id} is already {label.status}")
        before = label.status
        label.status = Status.WITHDRAWN
        label.withdrawn_at = clock.now()
        label.withdrawn_reason = reason
        label.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
        audit_record(
            actor=actor,
            action="green_label.withdrawn",
            target=label,
            changes={"status": [before, label.status], "reason": reason},
            seller_id=label.seller_id,
        )
    return label


def label_challenge(
    *, actor: Actor, label: GreenLabel, reason: str, contact_email: str = ""
) -> LabelChallenge:
    """Anyone (signed in or not) objects to a granted label; the operator decides."""
    reason = reason.strip()
    if not MIN_CHALLENGE_CHARS <= len(reason) <= MAX_CHALLENGE_CHARS:
        raise _refuse(
            LABEL_INVALID,
            "reason",
            f"is {len(reason)} characters; say what is wrong in "
            f"{MIN_CHALLENGE_CHARS} to {MAX_CHALLENGE_CHARS} characters",
        )
    with transaction.atomic():
        label = GreenLabel.objects.select_for_update().get(pk=label.pk)
        if label.status != Status.GRANTED:
            raise AgoraError(
                INVALID_TRANSITION, f"{label.public_id} is {label.status}; only granted labels "
                "can be challenged"
            )  # fmt: skip
        challenge = LabelChallenge.objects.create(
            label=label,
            reason=reason,
            contact_email=contact_email.strip()[:254],
            raised_by=actor.label,
            raised_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action="green_label.challenged",
            target=challenge,
            changes={"label": label.public_id},
            seller_id=label.seller_id,
        )
    return challenge


def challenge_decide(
    *, actor: Actor, challenge: LabelChallenge, upheld: bool, note: str
) -> LabelChallenge:
    """The operator's decision on a challenge; an upheld challenge withdraws the label in the
    same transaction."""
    _require_operator(actor)
    note = note.strip()[:300]
    if not note:
        raise _refuse(LABEL_INVALID, "note", "say why (it is shown on the evidence page)")
    with transaction.atomic():
        challenge = LabelChallenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.status != LabelChallenge.Status.OPEN:
            raise AgoraError(
                INVALID_TRANSITION, f"{challenge.public_id} was already {challenge.status}"
            )
        challenge.status = (
            LabelChallenge.Status.UPHELD if upheld else LabelChallenge.Status.DISMISSED
        )
        challenge.decided_at = clock.now()
        challenge.decided_by = actor.label
        challenge.decision_note = note
        challenge.save()
        audit_record(
            actor=actor,
            action="green_label.challenge_decided",
            target=challenge,
            changes={"status": challenge.status, "note": note},
            seller_id=challenge.label.seller_id,
        )
        if upheld and challenge.label.status in (Status.PENDING, Status.GRANTED):
            label_withdraw(actor=actor, label=challenge.label, reason=f"challenge upheld: {note}")
    return challenge


def labels_sweep(*, actor: Actor) -> list[str]:
    """Withdraws granted labels whose evidence expired or whose rule no longer holds (the
    scheduled job); returns their public ids. Each label is its own transaction."""
    today = clock.now().date()
    withdrawn = []
    for label in GreenLabel.objects.filter(status=Status.GRANTED).order_by("pk"):
        try:
            evidence_check(label, today=today)
        except AgoraError as exc:
            label_withdraw(actor=actor, label=label, reason=f"evidence no longer holds: {exc}")
            withdrawn.append(label.public_id)
    return withdrawn
