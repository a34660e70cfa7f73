"""Sign-up, password, the address book and the buyer's own API keys (pages and services)."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.addresses import AddressInput, address_create, address_delete, address_list
from agora.accounts.models import Address, ApiKey, User
from agora.accounts.services import user_create
from agora.core.errors import AgoraError
from tests.conftest import key_client
from tests.storefront.buying import Browser

pytestmark = pytest.mark.django_db
PASSWORD = "a long passphrase"


def signed_in(email: str = "dee@example.org") -> Browser:
    b = Browser()
    r = b.post(
        "/accounts/register/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return b


def home(**changes: str) -> dict[str, str]:
    return {
        "label": "Home",
        "name": "Dee Buyer",
        "line1": "Rue de Rivoli 1",
        "postcode": "75001",
        "city": "Paris",
        "country": "FR",
        **changes,
    }


def test_registration_validates_and_keeps_the_email(db):  # type: ignore[no-untyped-def]
    user_create(email="taken@example.org", password=PASSWORD)
    b = Browser()
    r = b.post(
        "/accounts/register/",
        {"email": "new@example.org", "password1": "short", "password2": "short"},
    )
    assert r.status_code == 422
    assert "too short" in r.content.decode() and 'value="new@example.org"' in r.content.decode()
    r = b.post(
        "/accounts/register/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert "The two passwords differ." in r.content.decode()
    r = b.post(
        "/accounts/register/",
        {"email": "taken@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert r.status_code == 422 and "already exists" in r.content.decode()
    assert User.objects.count() == 1


def test_registration_logs_in_and_follows_a_safe_next_only(db):  # type: ignore[no-untyped-def]
    b = Browser()
    r = b.post(
        "/accounts/register/",
        {
            "email": "e@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert r["Location"] == "/account/"
    assert "e@example.org" in b.get("/account/").content.decode()


def test_chinese_visitors_get_chinese_field_errors(db):  # type: ignore[no-untyped-def]
    b = Browser(language="zh-hans")
    r = b.post("/accounts/register/", {"email": "not-an-email", "password1": "", "password2": ""})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "请输入类似 name@example.com 的电子邮箱地址。" in html  # next to the email field
    assert 'value="not-an-email"' in html
    assert "请设置密码。" in html
    assert "您的购物车是空的。" in b.get("/cart/").content.decode()


def test_password_change_keeps_the_session(db):  # type: ignore[no-untyped-def]
    b = signed_in()
    r = b.post(
        "/account/password/", {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    )
    assert r.status_code == 422 and 'aria-invalid="true"' in r.content.decode()
    new = "an even longer passphrase"
    r = b.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert r.status_code == 302
    assert b.get("/account/").status_code == 200  # still signed in
    assert User.objects.get().check_password(new)


def test_account_pages_need_a_login(db):  # type: ignore[no-untyped-def]
    for path in ("/account/", "/account/password/", "/account/addresses/", "/account/api-keys/"):
        r = Client().get(path)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_address_book_add_edit_default_delete(db):  # type: ignore[no-untyped-def]
    b = signed_in()
    r = b.post("/account/addresses/", home(city="", vat_id="FR123"))
    assert r.status_code == 422
    assert "Enter the city." in r.content.decode() and 'value="FR123"' in r.content.decode()
    assert b.post("/account/addresses/", home()).status_code == 302
    assert (
        b.post(
            "/account/addresses/", home(label="Office", city="Lyon", postcode="69001")
        ).status_code
        == 302
    )
    first, second = Address.objects.order_by("pk")
    assert first.is_default and not second.is_default  # the first address is the default
    assert b.post(f"/account/addresses/{second.public_id}/default/").status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default
    r = b.post(f"/account/addresses/{first.public_id}/", home(name="Dee B."))
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.name == "Dee B."
    assert b.post(f"/account/addresses/{second.public_id}/delete/").status_code == 302
    first.refresh_from_db()
    assert first.is_default, "deleting the default makes the next one the default"
    # another buyer sees none of it
    other = signed_in("other@example.org")
    assert other.get(f"/account/addresses/{first.public_id}/").status_code == 404
    assert other.post(f"/account/addresses/{first.public_id}/delete/").status_code == 404
    assert Address.objects.count() == 1


def test_address_service_normalises_and_refuses_bad_input(db):  # type: ignore[no-untyped-def]
    user = user_create(email="f@example.org", password=PASSWORD)
    data = AddressInput(
        name=" F ", line1="Main St 1", city="Wien", country="at", vat_id="atu 13585627"
    )
    saved = address_create(user=user, data=data)
    assert (saved.name, saved.country, saved.vat_id, saved.is_default) == (
        "F",
        "AT",
        "ATU13585627",
        True,
    )
    for bad, field in (
        (AddressInput(name="F", line1="x", city="y", country="XX"), "country"),
        (AddressInput(name="", line1="x", city="y", country="AT"), "name"),
        (AddressInput(name="F", line1="x", city="y", country="AT", vat_id="ATU1"), "vat_id"),
    ):
        with pytest.raises(AgoraError) as refused:
            address_create(user=user, data=bad)
        assert refused.value.errors[0].field == field
    assert len(address_list(user=user)) == 1
    other = user_create(email="g@example.org", password=PASSWORD)
    with pytest.raises(AgoraError):
        address_delete(user=other, public_id=saved.public_id)


def test_checkout_offers_saved_addresses_and_can_save_a_new_one(seller, other_seller):  # type: ignore[no-untyped-def]
    from tests.checkout.flow_helpers import setup_two_sellers

    world = setup_two_sellers(seller, other_seller)
    b = signed_in()
    b.add(world["cup"], 1)
    r = b.post(
        "/checkout/address/",
        {**home(country="DE", postcode="10115", city="Berlin"), "save_address": "on"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    saved = Address.objects.get()
    assert saved.city == "Berlin"
    page = b.get("/checkout/address/").content.decode()
    assert "Deliver here" in page
    r = b.post("/checkout/address/", {"use_address": saved.public_id})
    assert r["Location"] == "/checkout/"


def test_api_keys_are_shown_once_listed_used_read_only_and_revoked(seller):  # type: ignore[no-untyped-def]
    b = signed_in()
    r = b.post("/account/api-keys/", {"name": ""})
    assert r.status_code == 422 and "Give the key a name." in r.content.decode()
    r = b.post("/account/api-keys/", {"name": "order tracker"})
    assert r.status_code == 201
    html = r.content.decode()
    token = html.split('id="new-key" type="text" readonly value="')[1].split('"')[0]
    assert token.startswith("agora_sk_")
    assert token not in b.get("/account/api-keys/").content.decode(), "the secret is shown again"
    key = ApiKey.objects.get()
    assert (key.kind, key.scopes, key.seller_id) == ("buyer", ["orders:read"], None)
    # the key reads the buyer's orders, and nothing it may write
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/orders").status_code == 200
    refused = api.post(
        "/api/v1/cart/lines",
        {"variant_id": "var_x", "quantity": 1},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert api.get("/api/v1/seller/orders").status_code == 401  # not a seller's key
    # a seller's key is not a shopper
    assert key_client(seller).get("/api/v1/me/orders").status_code == 401
    # revoke: the key stops working; someone else cannot revoke it
    other = signed_in("mallory@example.org")
    assert other.post(f"/account/api-keys/{key.public_id}/revoke/").status_code == 404
    assert b.post(f"/account/api-keys/{key.public_id}/revoke/").status_code == 302
    assert api.get("/api/v1/me/orders").status_code == 401
    assert "revoked" in b.get("/account/api-keys/").content.decode()
