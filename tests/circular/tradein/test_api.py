"""The buyer's trade-in API: models and questions, quote, accept (and the expired refusal as
problem+json), shipped, revised accept/refuse, the store-credit balance; another buyer's
trade-in is not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from agora.circular.tradein import selectors, services
from agora.core import clock
from tests.circular.tradein.conftest import GOOD, SCRATCHED, make_buyer
from tests.conftest import assert_problem, post_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def api(buyer) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(buyer)
    return client


def _quote(api: Client, model, answers=GOOD):  # type: ignore[no-untyped-def]
    return post_json(api, "/api/v1/trade-ins", {"model": model.public_id, "answers": answers})


def test_models_and_questions_are_public(model):
    body = Client().get("/api/v1/trade-in/models").json()
    assert [m["id"] for m in body["models"]] == [model.public_id]
    assert body["models"][0]["base_value"] == {
        "currency": "EUR",
        "amount_minor": 25_000,
        "amount": "250.00",
    }
    damage = next(q for q in body["questions"] if q["key"] == "screen_or_frame_damage")
    assert [(a["value"], a["multiplier"]) for a in damage["answers"]] == [
        ("none", "1"),
        ("minor", "0.80"),
        ("major", "0.50"),
    ]
    assert body["minimum_offer_minor"] == 100


def test_quote_accept_ship_and_credit(api, model, buyer, operator):
    response = _quote(api, model, SCRATCHED)
    assert response.status_code == 201, response.content
    t = response.json()
    assert (t["status"], t["offer"]["amount_minor"]) == ("quoted", 20_000)
    assert t["offer_expires_at"] == "2026-05-18T09:00:00+00:00"
    accepted = post_json(api, f"/api/v1/trade-ins/{t['id']}/accept", {}).json()
    assert accepted["status"] == "accepted"
    shipped = post_json(api, f"/api/v1/trade-ins/{t['id']}/shipped", {"note": "DHL 1"}).json()
    assert shipped["status"] == "shipped"
    tradein = services.tradein_receive(
        actor=operator, tradein=selectors.tradein_get(public_id=t["id"])
    )
    services.tradein_inspect(actor=operator, tradein=tradein, answers=GOOD)
    mine = api.get(f"/api/v1/trade-ins/{t['id']}").json()
    assert mine["status"] == "credited" and mine["credited"]["amount_minor"] == 20_000
    assert mine["credit_transaction_id"].startswith("ltx")
    assert api.get("/api/v1/me/store-credit?currency=EUR").json()["balance"]["amount"] == "200.00"
    assert [x["id"] for x in api.get("/api/v1/trade-ins").json()] == [t["id"]]


def test_accepting_an_expired_offer_is_a_409_naming_the_date(api, model):
    t = _quote(api, model).json()
    clock.advance(timedelta(days=14))
    body = assert_problem(
        post_json(api, f"/api/v1/trade-ins/{t['id']}/accept", {}), 409, "tradein-offer-expired"
    )
    assert "2026-05-18 09:00 UTC" in body["detail"]
    assert body["expired_at"] == "2026-05-18T09:00:00+00:00"
    assert api.get(f"/api/v1/trade-ins/{t['id']}").json()["status"] == "expired"


def test_bad_answers_and_unknown_models_are_problems(api, model):
    assert_problem(
        _quote(api, model, GOOD | {"colour": "red"}), 422, "validation-error", "answers.colour"
    )
    response = post_json(api, "/api/v1/trade-ins", {"model": "tim_nope", "answers": GOOD})
    assert_problem(response, 422, "tradein-model-unavailable")
    assert_problem(api.get("/api/v1/me/store-credit?currency=EURO"), 422, "validation-error")


def test_revised_offer_accept_and_refuse(api, model, buyer, operator):
    from tests.circular.tradein.conftest import received

    refused = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    body = post_json(api, f"/api/v1/trade-ins/{refused.public_id}/revised/refuse", {}).json()
    assert body["status"] == "refused" and body["credited"] is None
    taken = services.tradein_inspect(
        actor=operator, tradein=received(buyer, model, operator), answers=SCRATCHED
    )
    body = post_json(api, f"/api/v1/trade-ins/{taken.public_id}/revised/accept", {}).json()
    assert body["status"] == "credited" and body["credited"]["amount_minor"] == 20_000


def test_another_buyers_trade_in_is_not_found_and_guests_must_sign_in(api, model):
    t = _quote(api, model).json()
    other = Client()
    other.force_login(make_buyer("eve@example.org"))
    assert_problem(other.get(f"/api/v1/trade-ins/{t['id']}"), 404, "not-found")
    assert_problem(post_json(other, f"/api/v1/trade-ins/{t['id']}/accept", {}), 404, "not-found")
    assert_problem(Client().get("/api/v1/trade-ins"), 401)
