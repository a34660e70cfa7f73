"""``GET /api/v1/recommendations``: whose list a credential may read, reasons in the
request's language, and problems that name the bad parameter."""

from __future__ import annotations

from django.test import Client

from agora.accounts.buyer_keys import buyer_api_key_issue
from agora.accounts.services import api_key_issue
from tests.conftest import SYSTEM, assert_problem, key_client
from tests.recommendations.conftest import Shop

URL = "/api/v1/recommendations"


def test_a_buyer_key_reads_that_buyers_list_with_reasons(shop: Shop) -> None:
    shop.train()
    ada = shop.u["ada"]
    _, token = buyer_api_key_issue(user=ada, name="my app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = client.get(URL, {"limit": 3}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["profiled"] is True and answer["model"]
    first = answer["items"][0]
    assert first["product_id"] == shop.p["tea"].public_id and first["source"] == "repeat"
    assert first["reason"].startswith("You bought this 4 times")
    assert first["evidence"]["times"] == 4
    zh = client.get(URL, {"limit": 3, "lang": "zh-hans"}).json()
    assert zh["items"][0]["reason"].startswith("您已购买 4 次")


def test_an_app_key_names_the_buyer_and_no_key_gets_the_common_list(shop: Shop) -> None:
    shop.train()
    ada = shop.u["ada"]
    _, token = api_key_issue(actor=SYSTEM, name="app", scopes=["orders:read"], seller_id=None)
    app = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    mine = app.get(URL, {"user": ada.public_id, "limit": 3}).json()
    assert mine["items"][0]["source"] == "repeat"
    anonymous = Client().get(URL, {"limit": 3}).json()
    assert anonymous["profiled"] is False
    assert {i["source"] for i in anonymous["items"]} == {"popular"}
    assert app.get(URL, {"limit": 3}).json()["items"] == anonymous["items"]
    assert_problem(app.get(URL, {"user": "usr_nobody"}), 404)
    # Only an app may name another buyer.
    _, buyer_token = buyer_api_key_issue(user=shop.u["bo"], name="x")
    bo = Client(HTTP_AUTHORIZATION=f"Bearer {buyer_token}")
    assert_problem(bo.get(URL, {"user": ada.public_id}), 422, field="user")


def test_a_sellers_key_is_refused(shop: Shop) -> None:
    assert_problem(key_client(shop.big).get(URL), 401)


def test_bad_parameters_are_named(shop: Shop) -> None:
    client = Client()
    assert_problem(client.get(URL, {"placement": "moon"}), 422, field="placement")
    assert_problem(client.get(URL, {"limit": 0}), 422, field="limit")
    assert_problem(client.get(URL, {"placement": "product"}), 422, field="anchors")
    assert_problem(client.get(URL, {"lang": "fr"}), 422, field="lang")


def test_bought_together_for_an_app(shop: Shop) -> None:
    shop.train()
    answer = (
        Client()
        .get(URL, {"placement": "product", "anchors": shop.p["tea"].public_id, "limit": 2})
        .json()
    )
    assert answer["items"][0]["product_id"] == shop.p["cup"].public_id
    assert answer["items"][0]["evidence"] == {"anchor": shop.p["tea"].public_id, "together": 4}
