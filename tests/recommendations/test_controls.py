"""The buyer's controls: the non-profiled feed (nothing personal reaches it), "not interested"
(at once, without retraining), the "why am I seeing this" page in both languages, and the
storefront's lists linking to it."""

from __future__ import annotations

from agora.recommendations import serving
from agora.recommendations.models import Preference, Signal
from agora.recommendations.services import preference_set
from agora.recommendations.storefront import storefront_recommendations
from tests.recommendations.conftest import Shop


def test_the_non_profiled_feed_holds_nothing_personal(shop: Shop) -> None:
    shop.train()
    ada = shop.u["ada"]
    personal = serving.recommend(user_id=ada.pk, k=6)
    assert personal[0].source == "repeat"  # her tea
    preference_set(user=ada, profiled=False)
    assert Preference.objects.get(user=ada).profiled is False
    feed = serving.recommend(user_id=ada.pk, k=6)
    # The same list as for a guest and for a buyer we know nothing about, built from buyer
    # counts only; no source that reads a person's history.
    assert feed == serving.recommend(user_id=None, k=6)
    assert feed == serving.recommend(user_id=shop.u["new"].pk, k=6)
    assert {s.source for s in feed} == {"popular"}
    assert all(s.evidence["country"] is None for s in feed)
    # Her own purchases do not move it: buying more changes nothing in her feed.
    assert storefront_recommendations(ada.pk, 6) == []  # the home page shows its own list
    preference_set(user=ada, profiled=True)
    assert serving.recommend(user_id=ada.pk, k=6)[0].source == "repeat"


def test_not_interested_applies_at_once(shop: Shop, client) -> None:  # type: ignore[no-untyped-def]
    shop.train()
    ada, tea = shop.u["ada"], shop.p["tea"]
    assert tea.public_id in [s.item for s in serving.recommend(user_id=ada.pk, k=6)]
    client.force_login(ada)
    response = client.post(
        "/recommendations/not-interested/", {"product": tea.public_id, "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert Signal.objects.filter(
        buyer=f"user:{ada.pk}", product_id=tea.pk, kind=Signal.Kind.NOT_INTERESTED
    ).exists()
    assert tea.public_id not in [s.item for s in serving.recommend(user_id=ada.pk, k=6)]
    # Also on other placements, and for nobody else.
    cart = serving.recommend(
        user_id=ada.pk, k=6, placement="cart", anchors=[shop.p["cup"].public_id]
    )
    assert tea.public_id not in [s.item for s in cart]
    bo = serving.recommend(
        user_id=shop.u["bo"].pk, k=8, placement="cart", anchors=[shop.p["cup"].public_id]
    )
    assert tea.public_id in [s.item for s in bo]


def test_not_interested_names_an_unknown_product(shop: Shop, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(shop.u["ada"])
    response = client.post(
        "/recommendations/not-interested/", {"product": "prod_nope", "next": "/"}, follow=True
    )
    assert "prod_nope" in response.content.decode()
    assert not Signal.objects.filter(kind=Signal.Kind.NOT_INTERESTED).exists()


def test_why_page_in_both_languages_with_the_switch(shop: Shop, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Why am I seeing these recommendations?" in text
    assert "No seller pays for a place" in text and "As a guest" in text
    zh = client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "为什么向我推荐这些商品" in zh and "没有卖家付费" in zh
    ada = shop.u["ada"]
    client.force_login(ada)
    text = client.get("/recommendations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Turn off personal recommendations" in text
    response = client.post("/recommendations/profiling/", {"profiled": "off"}, follow=True)
    assert "Turn on personal recommendations" in response.content.decode()
    assert serving.is_profiled(ada.pk) is False


def test_storefront_lists_show_reasons_and_link_the_why_page(shop: Shop, client) -> None:  # type: ignore[no-untyped-def]
    shop.train()
    client.force_login(shop.u["ada"])
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/recommendations/"' in home
    assert "You bought this 4 times" in home
    assert "Not interested" in home
    product = client.get(f"/p/{shop.p['tea'].public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    text = product.content.decode()
    assert "Often bought together" in text and "Bought with Tea in 4 orders" in text
    assert 'href="/recommendations/"' in text
    assert Signal.objects.filter(kind=Signal.Kind.VIEW, product_id=shop.p["tea"].pk).exists()
