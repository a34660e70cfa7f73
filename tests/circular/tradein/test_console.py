"""The operator's trade-in pages in the admin site: the queue, receive, inspect into credit or a
revised offer, mark returned, manage the models; bad input shows a message; staff only."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.services import actor_for_user
from agora.circular.models import TradeIn, TradeInModel
from agora.circular.tradein import services
from agora.payments.selectors import store_credit_balance
from tests.circular.tradein.conftest import GOOD, SCRATCHED, quoted, received

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = TradeIn.Status
QUEUE = "/admin/operator/trade-ins/"


@pytest.fixture
def ops(operator_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(operator_user)
    return client


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _shipped(buyer, model) -> TradeIn:  # type: ignore[no-untyped-def]
    me = actor_for_user(buyer)
    t = services.tradein_accept(actor=me, tradein=quoted(buyer, model))
    return services.tradein_ship(actor=me, tradein=t)


def test_the_queue_shows_what_waits_and_is_linked_from_the_index(ops, buyer, model):
    waiting = _shipped(buyer, model)
    just_quoted = quoted(buyer, model)
    html = _html(ops.get(QUEUE))
    assert waiting.public_id in html and waiting.label_code in html
    assert just_quoted.public_id not in html
    assert just_quoted.public_id in _html(ops.get(QUEUE, {"status": "quoted"}))
    assert QUEUE in _html(ops.get("/admin/"))
    assert "is not one of" in _html(ops.get(QUEUE, {"status": "lost"}))


def test_receive_and_inspect_credit_the_buyer(ops, buyer, model):
    t = _shipped(buyer, model)
    page = f"{QUEUE}{t.public_id}/"
    _html(ops.post(page, {"action": "receive"}, follow=True))
    t.refresh_from_db()
    assert t.status == Status.RECEIVED
    html = _html(ops.get(page))
    assert 'id="tradein-inspect"' in html and "&times;0.80" in html
    html = _html(ops.post(page, {"action": "inspect"} | GOOD, follow=True))
    assert "Store credit of 250.00 EUR issued." in html
    t.refresh_from_db()
    assert t.status == Status.CREDITED
    assert store_credit_balance(buyer=buyer, currency="EUR") == 25_000


def test_a_worse_item_gets_a_revised_offer_and_a_refusal_is_returned(ops, operator, buyer, model):
    t = received(buyer, model, operator)
    page = f"{QUEUE}{t.public_id}/"
    form = {"action": "inspect", "note": "deep scratch on the back"} | SCRATCHED
    html = _html(ops.post(page, form, follow=True))
    assert "Revised offer of 200.00 EUR sent to the buyer." in html
    services.tradein_refuse_revised(actor=actor_for_user(buyer), tradein=t)
    html = _html(ops.get(page))
    assert "Mark as returned" in html
    html = _html(ops.post(page, {"action": "return", "note": ""}, follow=True))
    assert "give the return&#x27;s carrier and tracking number" in html
    _html(ops.post(page, {"action": "return", "note": "DHL 99"}, follow=True))
    t.refresh_from_db()
    assert (t.status, t.return_note) == (Status.RETURNED, "DHL 99")
    assert store_credit_balance(buyer=buyer, currency="EUR") == 0


def test_a_missing_inspection_answer_is_shown(ops, operator, buyer, model):
    t = received(buyer, model, operator)
    form = {"action": "inspect"} | GOOD | {"powers_on": ""}
    html = _html(ops.post(f"{QUEUE}{t.public_id}/", form))
    assert "answers.powers_on: is not answered" in html.lower()
    t.refresh_from_db()
    assert t.status == Status.RECEIVED


def test_models_are_added_and_stopped(ops, buyer):
    form = {"action": "add_model", "name": "Brompton C Line", "category": "Bikes"} | {
        "base_value": "480.50",
        "currency": "EUR",
    }
    html = _html(ops.post(QUEUE, form, follow=True))
    assert "Added Brompton C Line at 480.50 EUR." in html
    made = TradeInModel.objects.get(name="Brompton C Line")
    assert (made.base_value_minor, made.active) == (48_050, True)
    html = _html(ops.post(QUEUE, form | {"base_value": "lots"}, follow=True))
    assert "is not an amount like 249.00" in html
    _html(ops.post(QUEUE, {"model": made.public_id, "active": "0"}, follow=True))
    made.refresh_from_db()
    assert made.active is False


def test_only_staff_see_the_console(buyer, model):
    client = Client()
    client.force_login(buyer)
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_operator_dashboard_counts_credited_trade_ins(
    buyer, model, operator, operator_user
) -> None:  # type: ignore[no-untyped-def]
    tradein = received(buyer, model, operator)
    services.tradein_inspect(actor=operator, tradein=tradein, answers=GOOD)
    ops = Client()
    ops.force_login(operator_user)
    html = _html(ops.get("/admin/operator/sustainability/"))
    assert "Trade-ins credited" in html
    offer = TradeIn.objects.get(pk=tradein.pk).credited_minor
    assert f"€{offer // 100:,}.{offer % 100:02d}" in html
