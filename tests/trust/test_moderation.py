"""Notice and action with a statement of reasons, the internal appeal decided by another
operator, suspension through the marketplace's own service, and the transparency report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agora.catalog.models import Product
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import OutboxEvent
from agora.marketplace.models import Seller
from agora.trust.models import Appeal, Decision, Notice, Review
from agora.trust.services import appeal_decide, appeal_submit, review_post
from tests.conftest import assert_problem, post_json
from tests.trust.helpers import STATEMENT, bought, ops, signed_in, staff_user

pytestmark = pytest.mark.django_db


def report(client: Client, kind: str, target: str, reason: str = "counterfeit") -> dict:
    response = post_json(
        client,
        "/api/v1/reports",
        {"target_kind": kind, "target_id": target, "reason": reason, "explanation": "Fake logo."},
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


def decide(client: Client, notice_id: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("admin:operator_moderation_notice", args=[notice_id]), form)


def test_reports_from_anyone_are_deduplicated(seller: Seller) -> None:
    product, _ = bought(seller)
    guest = Client()
    first = report(guest, "product", product.public_id)
    again = report(guest, "product", product.public_id)
    assert first["created"] and not again["created"] and first["id"] == again["id"]
    other = report(Client(), "seller", seller.public_id, reason="spam")
    assert other["created"] and Notice.objects.count() == 2
    bad = post_json(
        Client(),
        "/api/v1/reports",
        {"target_kind": "product", "target_id": "prod_x", "reason": "nonsense", "explanation": "x"},
    )
    assert_problem(bad, 422, field="reason")
    missing = post_json(
        Client(),
        "/api/v1/reports",
        {"target_kind": "product", "target_id": "prod_nope", "reason": "spam", "explanation": "x"},
    )
    assert_problem(missing, 404, "not-found")


def test_a_decision_needs_a_statement_and_the_seller_sees_it(seller: Seller) -> None:
    product, _ = bought(seller)
    notifier = signed_in(staff_user(None, "notifier@example.invalid"))
    notice = report(notifier, "product", product.public_id)
    _, ops_client = ops("ops1@example.invalid")
    refused = decide(ops_client, notice["id"], action="remove", facts="", ground="", automated="")
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "statement of reasons" in text and "facts" in text and "automated" in text
    assert Product.objects.get().status == Product.Status.PUBLISHED
    assert not Decision.objects.exists()

    done = decide(ops_client, notice["id"], **STATEMENT)
    assert done.status_code == 302
    decision = Decision.objects.get()
    assert Product.objects.get().status == Product.Status.ARCHIVED  # via catalog's service
    assert Notice.objects.get().decision == decision

    owner = signed_in(staff_user(seller, "owner@example.invalid"))
    page = owner.get("/seller/notices/").content.decode()
    assert "counterfeit logo" in page and "Terms of service §4.2" in page
    assert "out-of-court" in page and "No automated means were used" in page
    # the notifier is told the outcome
    mine = notifier.get("/account/notices/").content.decode()
    assert "decided: remove content" in mine


def test_appeal_is_decided_by_another_operator_and_reversal_restores(seller: Seller) -> None:
    product, buyer = bought(seller)
    review = review_post(
        user=buyer, product_public_id=product.public_id, rating=1, title="Bad", body="Rude words"
    )
    notice = report(Client(), "review", review.public_id, reason="hate_harassment")
    _, first_client = ops("ops1@example.invalid")
    assert decide(first_client, notice["id"], **STATEMENT).status_code == 302
    assert Review.objects.get().status == Review.Status.REMOVED
    decision = Decision.objects.get()
    assert decision.affected_user == buyer

    # the affected author sees the statement and appeals; a stranger may not
    author = signed_in(buyer)
    assert "Terms of service §4.2" in author.get("/account/notices/").content.decode()
    stranger = signed_in(staff_user(None, "someone@example.invalid"))
    stranger.post(f"/notices/{decision.public_id}/appeal/", {"explanation": "Let it be."})
    assert not Appeal.objects.exists()
    author.post(f"/notices/{decision.public_id}/appeal/", {"explanation": "It was fair."})
    appeal = Appeal.objects.get()

    url = reverse("admin:operator_moderation_appeal", args=[appeal.public_id])
    same = first_client.post(url, {"outcome": "reversed", "statement": "I changed my mind."})
    assert same.status_code == 409 and "another operator" in same.content.decode()
    assert Appeal.objects.get().outcome == Appeal.Outcome.OPEN

    _, second = ops("ops2@example.invalid")
    assert (
        second.post(url, {"outcome": "reversed", "statement": "Criticism, not abuse."}).status_code
        == 302
    )
    assert Review.objects.get().status == Review.Status.VISIBLE
    assert Decision.objects.get().reversed_at is not None
    page = Client().get(f"/p/{product.public_id}/").content.decode()
    assert "Rude words" in page


def test_suspension_goes_through_the_marketplace_service(seller: Seller) -> None:
    notice = report(Client(), "seller", seller.public_id, reason="illegal_content")
    _, first = ops("ops1@example.invalid")
    assert (
        decide(first, notice["id"], **{**STATEMENT, "action": "suspend_seller"}).status_code == 302
    )
    seller.refresh_from_db()
    assert seller.state == "suspended"
    decision = Decision.objects.get()
    assert decision.public_id in seller.state_reason
    suspended = OutboxEvent.objects.filter(name="seller.suspended").get()
    assert suspended.payload["seller_id"] == seller.public_id

    owner = signed_in(staff_user(seller, "owner@example.invalid"))
    owner.post(
        f"/notices/{decision.public_id}/appeal/",
        {"explanation": "We had the licence.", "next": "/seller/notices/"},
    )
    appeal = Appeal.objects.get()
    _, second = ops("ops2@example.invalid")
    url = reverse("admin:operator_moderation_appeal", args=[appeal.public_id])
    second.post(url, {"outcome": "reversed", "statement": "The licence is valid."})
    seller.refresh_from_db()
    assert seller.state == "active"
    assert OutboxEvent.objects.filter(name="seller.reinstated").count() == 1
    page = owner.get("/seller/notices/").content.decode()
    assert "suspend seller" in page and "The licence is valid." in page


def test_a_suspended_seller_reads_the_statement_and_a_late_appeal_is_refused(
    seller: Seller,
) -> None:
    notice = report(Client(), "seller", seller.public_id, reason="illegal_content")
    _, first = ops("ops1@example.invalid")
    decide(first, notice["id"], **{**STATEMENT, "action": "suspend_seller"})
    owner_user = staff_user(seller, "owner@example.invalid")
    page = signed_in(owner_user).get("/seller/notices/").content.decode()
    assert "Terms of service §4.2" in page and 'name="explanation"' in page
    decision = Decision.objects.get()
    late = clock.now() + timedelta(days=200)
    with clock.frozen_at(late), pytest.raises(AgoraError) as refused:
        appeal_submit(user=owner_user, decision=decision, explanation="Too late?")
    assert refused.value.problem.slug == "moderation-appeal-not-allowed"
    assert "six months" in str(refused.value)
    with pytest.raises(AgoraError) as stranger:
        appeal_submit(
            user=staff_user(None, "x@example.invalid"), decision=decision, explanation="Hm"
        )
    assert stranger.value.problem.slug == "moderation-appeal-not-allowed"


def test_the_report_page_works_without_an_account_and_shows_the_outcome(seller: Seller) -> None:
    product, _ = bought(seller)
    guest = Client()
    form = {
        "target_kind": "product",
        "target_id": product.public_id,
        "reason": "unsafe_product",
        "explanation": "The charger overheats.",
    }
    sent = guest.post("/report/", form)
    assert sent.status_code == 302
    receipt = sent["Location"]
    assert guest.post("/report/", form)["Location"] == receipt  # the same report, not a new one
    assert Notice.objects.count() == 1
    assert "Not decided yet" in guest.get(receipt).content.decode()
    _, operator_client = ops("ops1@example.invalid")
    decide(operator_client, Notice.objects.get().public_id, **{**STATEMENT, "action": "restrict"})
    assert Product.objects.get().status == Product.Status.DRAFT
    told = guest.get(receipt).content.decode()
    assert "restrict visibility" in told and "Terms of service §4.2" in told
    refused = guest.post("/report/", {**form, "reason": "bogus"})
    assert refused.status_code == 422 and "reason" in refused.content.decode()


def test_transparency_counts_match(seller: Seller) -> None:
    product, _ = bought(seller)
    report(Client(), "product", product.public_id, reason="counterfeit")
    report(Client(), "product", product.public_id, reason="unsafe_product")
    second = report(Client(), "seller", seller.public_id, reason="spam")
    first_notice = Notice.objects.filter(target_kind="product").first()
    _, first = ops("ops1@example.invalid")
    decide(first, first_notice.public_id, **{**STATEMENT, "action": "restrict"})
    decide(first, second["id"], **{**STATEMENT, "action": "no_action"})
    owner = signed_in(staff_user(seller, "owner@example.invalid"))
    restrict = Decision.objects.get(action="restrict")
    owner.post(f"/notices/{restrict.public_id}/appeal/", {"explanation": "Not unsafe."})
    _, second_op = ops("ops2@example.invalid")
    second_op.post(
        reverse("admin:operator_moderation_appeal", args=[Appeal.objects.get().public_id]),
        {"outcome": "upheld", "statement": "The test report confirms it."},
    )
    figures = Client().get("/api/v1/transparency").json()
    assert figures["notices_total"] == 3
    assert figures["notices_by_reason"]["counterfeit"] == 1
    assert figures["notices_by_reason"]["unsafe_product"] == 1
    assert figures["notices_by_reason"]["spam"] == 1
    assert figures["decisions_total"] == 2  # both product notices closed by one decision
    assert figures["decisions_by_action"] == {
        "remove": 0,
        "restrict": 1,
        "suspend_seller": 0,
        "no_action": 1,
    }
    assert figures["appeals_by_outcome"]["upheld"] == 1
    assert figures["median_hours_to_decision"] is not None
    page = Client().get("/transparency/").content.decode()
    assert "Notices received: 3" in page and "Appeals: 1" in page
    old = Client().get("/api/v1/transparency?end=2020-01-01T00:00:00Z").json()
    assert old["notices_total"] == 0


def test_a_notifier_appeals_no_action_and_the_reversal_acts(seller: Seller) -> None:
    """DSA Art. 20(1): the notifier may appeal too, "no action" included; another operator
    decides, and reversing takes the action as a new decision the seller may appeal in turn."""
    product, _ = bought(seller)
    first_user = staff_user(None, "first-notifier@example.invalid")
    second_user = staff_user(None, "second-notifier@example.invalid")
    first, second, guest = signed_in(first_user), signed_in(second_user), Client()
    notice = report(first, "product", product.public_id)
    report(second, "product", product.public_id, reason="intellectual_property")
    guest_notice = report(guest, "product", product.public_id, reason="unsafe_product")
    _, ops1_client = ops("ops1@example.invalid")
    assert (
        decide(ops1_client, notice["id"], **{**STATEMENT, "action": "no_action"}).status_code == 302
    )
    no_action = Decision.objects.get()
    assert (
        no_action.action == "no_action" and Notice.objects.filter(decision=no_action).count() == 3
    )

    # the notifiers are offered the appeal; the anonymous one, the seller and strangers are not
    receipt = f"/report/{notice['id']}/"
    assert 'name="explanation"' in first.get(receipt).content.decode()
    assert 'name="explanation"' in first.get("/account/notices/").content.decode()
    assert 'name="explanation"' not in guest.get(f"/report/{guest_notice['id']}/").content.decode()
    assert 'name="explanation"' not in second.get(receipt).content.decode()  # not their notice
    owner_user = staff_user(seller, "owner@example.invalid")
    owner = signed_in(owner_user)
    assert 'name="explanation"' not in owner.get("/seller/notices/").content.decode()
    url = f"/notices/{no_action.public_id}/appeal/"
    for outsider in (owner, guest, signed_in(staff_user(None, "x@example.invalid"))):
        outsider.post(url, {"explanation": "Take it down."})
    assert not Appeal.objects.exists()

    sent = first.post(url, {"explanation": "The logo is a copy; see photo 3.", "next": receipt})
    assert sent.status_code == 302 and sent["Location"] == receipt
    appeal = Appeal.objects.get()
    assert (appeal.party, appeal.appellant, appeal.notice.public_id) == (
        "notifier",
        first_user,
        notice["id"],
    )
    with pytest.raises(AgoraError) as twice:
        appeal_submit(user=first_user, decision=no_action, explanation="Again.")
    assert "appealed already" in str(twice.value)
    second.post(url, {"explanation": "Our trade mark."})
    assert Appeal.objects.filter(party="notifier").count() == 2
    page = first.get(receipt).content.decode()
    assert "Your appeal:</strong> open" in page and 'name="explanation"' not in page

    decide_url = reverse("admin:operator_moderation_appeal", args=[appeal.public_id])
    queue = ops1_client.get(reverse("admin:operator_moderation")).content.decode()
    assert appeal.public_id in queue and "notifier" in queue
    same = ops1_client.post(decide_url, {"outcome": "reversed", "statement": "Yes.", "action": ""})
    assert same.status_code == 409
    _, ops2_client = ops("ops2@example.invalid")
    form = ops2_client.get(decide_url).content.decode()
    assert 'name="action"' in form and "against no action" in form
    no_act = ops2_client.post(
        decide_url, {"outcome": "reversed", "statement": "The logo is a copy.", "ground": "ToS"}
    )
    assert no_act.status_code == 422 and "action" in no_act.content.decode()
    assert Product.objects.get().status == Product.Status.PUBLISHED
    done = ops2_client.post(
        decide_url,
        {
            "outcome": "reversed",
            "statement": "On a second look the logo is a copy of the brand's mark.",
            "action": "remove",
            "ground": "Terms of service §4.2 (counterfeit goods).",
        },
    )
    assert done.status_code == 302
    assert Product.objects.get().status == Product.Status.ARCHIVED  # the action is applied
    no_action.refresh_from_db()
    assert no_action.reversed_at is not None
    made = Decision.objects.exclude(pk=no_action.pk).get()
    assert (made.action, made.target_id, made.affected_seller, made.automated) == (
        "remove",
        product.public_id,
        seller,
        False,
    )
    assert made.decided_by.email == "ops2@example.invalid"
    assert set(Appeal.objects.values_list("outcome", "result")) == {("reversed", made.pk)}
    assert OutboxEvent.objects.filter(
        name="moderation.decided", payload__decision_id=made.public_id
    ).exists()
    decided = OutboxEvent.objects.filter(name="moderation.appeal_decided")
    assert {(e.payload["party"], e.payload["new_decision_id"]) for e in decided} == {
        ("notifier", made.public_id)
    }

    # the notifiers are told; so is the anonymous one on their receipt
    mine = first.get("/account/notices/").content.decode()
    assert "no action, reversed on appeal: remove content" in mine
    assert "On a second look the logo is a copy" in mine
    told = guest.get(f"/report/{guest_notice['id']}/").content.decode()
    assert "reversed on appeal: remove content" in told
    # the seller receives the new statement of reasons and may appeal it, to another operator
    shop = owner.get("/seller/notices/").content.decode()
    assert made.public_id in shop and "Terms of service §4.2 (counterfeit goods)." in shop
    assert 'name="explanation"' in shop
    owner.post(
        f"/notices/{made.public_id}/appeal/", {"explanation": "It is licensed.", "next": "/x/"}
    )
    seller_appeal = Appeal.objects.get(party="affected")
    assert seller_appeal.decision == made
    back = reverse("admin:operator_moderation_appeal", args=[seller_appeal.public_id])
    assert ops2_client.post(back, {"outcome": "reversed", "statement": "Hm"}).status_code == 409
    ops1_client.post(back, {"outcome": "reversed", "statement": "The licence is on file."})
    assert Product.objects.get().status == Product.Status.PUBLISHED
    figures = Client().get("/api/v1/transparency").json()
    assert figures["appeals_by_party"] == {"affected": 1, "notifier": 2}
    assert figures["decisions_by_action"]["remove"] == 1 and figures["decisions_reversed"] == 2
    assert "By notifiers, against no action: 2" in Client().get("/transparency/").content.decode()


def test_a_notifier_appeal_upheld_or_out_of_bounds(seller: Seller) -> None:
    """Upheld: nothing changes and the notifier reads why. Refused: after six months, against an
    action taken (that appeal is the affected party's), and a content action on a seller."""
    product, _ = bought(seller)
    notifier_user = staff_user(None, "notifier@example.invalid")
    notifier = signed_in(notifier_user)
    notice = report(notifier, "seller", seller.public_id, reason="spam")
    _, ops1_client = ops("ops1@example.invalid")
    decide(ops1_client, notice["id"], **{**STATEMENT, "action": "no_action"})
    no_action = Decision.objects.get()
    late = clock.now() + timedelta(days=200)
    with clock.frozen_at(late), pytest.raises(AgoraError) as too_late:
        appeal_submit(user=notifier_user, decision=no_action, explanation="Late")
    assert "six months" in str(too_late.value)
    appeal = appeal_submit(user=notifier_user, decision=no_action, explanation="It is spam.")
    ops2, _ = ops("ops2@example.invalid")
    with pytest.raises(AgoraError) as content_on_seller:
        appeal_decide(
            operator=ops2, appeal=appeal, outcome="reversed", statement="Spam.", action="remove"
        )
    assert content_on_seller.value.errors[0].field == "action"
    with pytest.raises(AgoraError) as no_ground:
        appeal_decide(
            operator=ops2,
            appeal=appeal,
            outcome="reversed",
            statement="Spam.",
            action="suspend_seller",
        )
    assert no_ground.value.problem.slug == "moderation-statement-required"
    seller.refresh_from_db()
    assert seller.state == "active" and Appeal.objects.get().outcome == "open"
    appeal_decide(
        operator=ops2, appeal=appeal, outcome="upheld", statement="Ordinary adverts, not spam."
    )
    seller.refresh_from_db()
    assert seller.state == "active"
    assert Decision.objects.count() == 1 and Decision.objects.get().reversed_at is None
    page = notifier.get(f"/report/{notice['id']}/").content.decode()
    assert "upheld" in page and "Ordinary adverts, not spam." in page
    assert 'name="explanation"' not in page

    # a notifier does not appeal an action taken on what they reported
    other = report(notifier, "product", product.public_id)
    decide(ops1_client, other["id"], **STATEMENT)
    removed = Decision.objects.get(action="remove")
    with pytest.raises(AgoraError) as not_theirs:
        appeal_submit(user=notifier_user, decision=removed, explanation="Too harsh?")
    assert not_theirs.value.problem.slug == "moderation-appeal-not-allowed"
