"""The buyer's trade-in pages with the Django test client: get a quote, accept it, download the
label, say it is shipped, accept or refuse a revised offer, and see the store credit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from agora.circular.models import TradeIn
from agora.circular.tradein import services
from agora.circular.tradein.label import qr_payload
from agora.core import clock
from tests.circular.tradein.conftest import GOOD, SCRATCHED, make_buyer, quoted, received

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
Status = TradeIn.Status


@pytest.fixture
def client_for(buyer):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(buyer)
    return client


def _page(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_quote_form_lists_the_models_and_the_questions(client_for, model):
    html = _page(client_for.get("/account/trade-in/"))
    assert model.name in html and model.public_id in html
    assert 'name="screen_or_frame_damage"' in html and 'value="major"' in html
    assert reverse("tradein:store_credit") in html  # the account menu links store credit


def test_a_quote_from_the_form_shows_the_offer_and_its_expiry(client_for, model, buyer):
    form = {"model": model.public_id} | SCRATCHED
    response = client_for.post("/account/trade-in/", form, follow=True)
    html = _page(response)
    t = TradeIn.objects.get(buyer=buyer)
    assert response.redirect_chain[-1][0] == f"/account/trade-in/{t.public_id}/"
    assert "€200.00" in html  # 250.00 x 0.80
    assert "valid until" in html
    assert "Accept the offer" in html


def test_a_missing_answer_shows_a_message_and_keeps_the_answers(client_for, model):
    form = {"model": model.public_id} | GOOD | {"battery_or_wear": ""}
    html = _page(client_for.post("/account/trade-in/", form))
    assert "No quote was made" in html
    assert "battery_or_wear" in html and "is not answered" in html
    assert f'value="{model.public_id}" selected' in html
    assert not TradeIn.objects.exists()


def test_no_model_chosen_says_so(client_for, model):
    html = _page(client_for.post("/account/trade-in/", GOOD))
    assert "Choose the item you want to trade in" in html


def test_accept_label_ship_then_the_operator_credits(client_for, model, buyer, operator):
    t = quoted(buyer, model)
    detail = f"/account/trade-in/{t.public_id}/"
    html = _page(client_for.post(f"{detail}accept/", follow=True))
    assert "Offer accepted" in html and "Download the shipping label" in html
    label = client_for.get(f"{detail}label.pdf")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    assert label.content.startswith(b"%PDF")
    assert t.label_code in label["Content-Disposition"]
    assert qr_payload(t).startswith(f"AGORA-TRADEIN:{t.label_code}:")
    html = _page(client_for.post(f"{detail}shipped/", {"note": "DHL 42"}, follow=True))
    assert "we will tell you when it has arrived" in html
    t.refresh_from_db()
    assert (t.status, t.shipping_note) == (Status.SHIPPED, "DHL 42")
    services.tradein_receive(actor=operator, tradein=t)
    services.tradein_inspect(actor=operator, tradein=t, answers=GOOD)
    html = _page(client_for.get(detail))
    assert "Store credit issued" in html and "€250.00" in html
    credit = _page(client_for.get("/account/store-credit/"))
    assert "€250.00 available" in credit
    assert t.public_id in credit and "Credit granted" in credit


def test_accepting_an_expired_offer_shows_the_expiry(client_for, model, buyer):
    t = quoted(buyer, model)
    clock.advance(timedelta(days=15))
    html = _page(client_for.post(f"/account/trade-in/{t.public_id}/accept/", follow=True))
    assert "expired on 2026-05-18 09:00 UTC" in html
    assert "Nothing: this trade-in is finished." in html


def test_the_label_waits_for_the_acceptance(client_for, model, buyer):
    t = quoted(buyer, model)
    html = _page(client_for.get(f"/account/trade-in/{t.public_id}/label.pdf", follow=True))
    assert "The label is available after you accept the offer" in html


def test_a_revised_offer_is_accepted_or_refused_on_the_page(client_for, model, buyer, operator):
    t = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    html = _page(client_for.get(f"/account/trade-in/{t.public_id}/"))
    assert "Accept €200.00 in store credit" in html and "What our inspection found" in html
    html = _page(client_for.post(f"/account/trade-in/{t.public_id}/revised/refuse/", follow=True))
    assert "we will send the item back" in html
    t.refresh_from_db()
    assert t.status == Status.REFUSED
    # the second one: accepted
    t2 = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    client_for.post(f"/account/trade-in/{t2.public_id}/revised/accept/")
    t2.refresh_from_db()
    assert (t2.status, t2.credited_minor) == (Status.CREDITED, 20_000)
    assert "€200.00 available" in _page(client_for.get("/account/store-credit/"))


def test_another_buyers_trade_in_is_not_found(model, buyer):
    t = quoted(buyer, model)
    other = Client()
    other.force_login(make_buyer("eve@example.org"))
    assert other.get(f"/account/trade-in/{t.public_id}/").status_code == 404
    assert other.post(f"/account/trade-in/{t.public_id}/accept/").status_code == 404
    assert other.get(f"/account/trade-in/{t.public_id}/label.pdf").status_code == 404
    t.refresh_from_db()
    assert t.status == Status.QUOTED


def test_pages_need_a_sign_in(model):
    assert Client().get("/account/trade-in/").status_code == 302
    assert Client().get("/account/store-credit/").status_code == 302


def test_store_credit_page_without_credit(client_for):
    html = _page(client_for.get("/account/store-credit/"))
    assert "No store credit yet." in html
