"""The product page links each granted label to its public evidence page; anyone challenges a
label there; operators grant labels from the operator console's action."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from agora.sustainability.labels.services import label_request, label_review
from agora.sustainability.models import GreenLabel, LabelChallenge
from tests.sustainability.labels.helpers import OPERATOR, product_with_passport, seller_actor

pytestmark = pytest.mark.django_db


def test_product_page_links_the_label_to_its_evidence(seller, client) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(actor=seller_actor(seller), product=product, kind="repairable",
                          use_rule=True)  # fmt: skip
    page = client.get(f"/p/{product.public_id}/").content.decode()
    assert f"/sustainability/labels/{label.public_id}/" not in page  # pending: not shown
    label_review(actor=OPERATOR, label=label, grant=True)
    page = client.get(f"/p/{product.public_id}/").content.decode()
    assert f'href="/sustainability/labels/{label.public_id}/"' in page
    evidence = client.get(f"/sustainability/labels/{label.public_id}/").content.decode()
    assert "spare parts for 10 years" in evidence
    assert "Challenge this label" in evidence


def test_anyone_can_challenge_a_granted_label(seller, client) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(actor=seller_actor(seller), product=product, kind="repairable",
                          use_rule=True)  # fmt: skip
    label_review(actor=OPERATOR, label=label, grant=True)
    url = f"/sustainability/labels/{label.public_id}/"
    refused = client.post(url, {"reason": "short"})
    assert refused.status_code == 422
    answer = client.post(url, {"reason": "The shop told me there are no spare parts."})
    assert answer.status_code == 302
    challenge = LabelChallenge.objects.get(label=label)
    assert challenge.raised_by == "anonymous visitor" and challenge.status == "open"
    assert "no spare parts" in client.get(url).content.decode()


def test_operator_grants_from_the_console(seller, client) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(actor=seller_actor(seller), product=product, kind="repairable",
                          use_rule=True)  # fmt: skip
    operator = get_user_model().objects.create_superuser(email="op@agora.test", password="x")
    client.force_login(operator)
    listing = client.get("/admin/sustainability/greenlabel/")
    assert listing.status_code == 200 and label.public_id in listing.content.decode()
    client.post(
        "/admin/sustainability/greenlabel/",
        {"action": "grant", "_selected_action": [label.pk]},
    )
    label.refresh_from_db()
    assert label.status == GreenLabel.Status.GRANTED
    assert label.reviewed_by == "op@agora.test"


def test_evidence_and_product_pages_in_chinese(seller, client) -> None:  # type: ignore[no-untyped-def]
    product = product_with_passport(seller)
    label = label_request(
        actor=seller_actor(seller), product=product, kind="repairable", use_rule=True
    )
    label_review(actor=OPERATOR, label=label, grant=True)
    client.cookies["django_language"] = "zh-hans"
    evidence = client.get(f"/sustainability/labels/{label.public_id}/").content.decode()
    assert "可维修" in evidence and "备件供应 10 年" in evidence
    assert "对此标签提出异议" in evidence
    page = client.get(f"/p/{product.public_id}/").content.decode()
    assert "查看证据" in page
