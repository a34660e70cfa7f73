"""API keys: shown once, stored as a hash, scoped, revocable, expiring, and tied to a seller."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client

from agora.accounts.models import ApiKey
from agora.accounts.services import api_key_authenticate, api_key_issue, api_key_revoke
from agora.catalog.models import Product
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry
from tests.conftest import SYSTEM, assert_problem, key_client, post_json

T0 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
PRODUCT = {
    "title": "Mug",
    "variants": [{"sku": "MUG-1", "prices": [{"currency": "EUR", "amount_minor": 900}]}],
}


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def issue(seller, scopes=("catalog:write", "pricing:write"), **kw):  # type: ignore[no-untyped-def]
    return api_key_issue(
        actor=SYSTEM, name="k", scopes=list(scopes), seller_id=seller.pk if seller else None, **kw
    )


def all_database_text() -> str:
    """Every value of every row of every table, as text (to look for leaked secrets)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("latin-1")
                    chunks.append(str(value))
    return "\n".join(chunks)


@pytest.mark.django_db
def test_issued_key_works_and_describes_itself(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(seller, scopes=["catalog:read"])
    assert token.startswith(f"agora_sk_{key.lookup}_")
    response = bearer(token).get("/api/v1/me")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == key.public_id and body["kind"] == "seller"
    assert body["scopes"] == ["catalog:read"]
    assert body["seller"] == {
        "id": seller.public_id,
        "name": seller.display_name,
        "state": "active",
    }


@pytest.mark.django_db
def test_only_a_sha256_of_the_secret_is_stored(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(seller)
    secret = token.removeprefix(f"agora_sk_{key.lookup}_")
    assert len(secret) == 43  # 256 random bits, url-safe base64
    assert token == f"agora_sk_{key.lookup}_{secret}"
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    bearer(token).get("/api/v1/me")  # using it writes nothing revealing either
    everything = all_database_text()
    assert stored.secret_hash in everything  # the scan does see the table
    assert secret not in everything
    assert token not in everything
    assert "agora_sk_" + key.lookup + "_" + secret[:10] not in everything


@pytest.mark.django_db
def test_idempotency_records_do_not_keep_the_credential(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(seller)
    response = post_json(
        bearer(token), "/api/v1/seller/products", PRODUCT, **{"Idempotency-Key": "k1"}
    )
    assert response.status_code == 201
    assert token.removeprefix(f"agora_sk_{key.lookup}_") not in all_database_text()


@pytest.mark.django_db
def test_two_keys_never_share_a_secret(seller) -> None:  # type: ignore[no-untyped-def]
    tokens = {issue(seller)[1] for _ in range(20)}
    assert len(tokens) == 20
    assert len(set(ApiKey.objects.values_list("lookup", flat=True))) == 20


@pytest.mark.django_db
def test_revoked_key_is_refused_naming_the_revocation(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(seller)
    assert bearer(token).get("/api/v1/me").status_code == 200
    api_key_revoke(actor=SYSTEM, key=key)
    response = bearer(token).get("/api/v1/me")
    body = assert_problem(response, 401, "api-key-invalid")
    assert "revoked" in body["detail"] and key.public_id in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEntry.objects.filter(action="api_key.revoked", target_id=key.public_id).count() == 1
    api_key_revoke(actor=SYSTEM, key=key)  # revoking twice changes nothing
    assert AuditEntry.objects.filter(action="api_key.revoked", target_id=key.public_id).count() == 1


@pytest.mark.django_db
def test_expired_key_is_refused(seller) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen_at(T0):
        key, token = issue(seller, expires_at=T0 + timedelta(days=1))
        assert bearer(token).get("/api/v1/me").status_code == 200
        clock.advance(timedelta(days=1))
        body = assert_problem(bearer(token).get("/api/v1/me"), 401, "api-key-invalid")
        assert "expired" in body["detail"]
        assert not ApiKey.objects.get(pk=key.pk).is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer agora_sk_short_secret",
        "Bearer agora_sk_ABCDEFGHIJKL_" + "a" * 43,
        "Bearer agora_sk_abcdefghijkl_" + "a" * 42 + "!",
    ],
)
def test_malformed_key_is_refused(seller, header: str) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me")
    assert_problem(response, 401)


@pytest.mark.django_db
def test_unknown_key_and_wrong_secret_are_refused(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(seller)
    wrong = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    assert_problem(bearer(wrong).get("/api/v1/me"), 401, "api-key-invalid")
    unknown = f"agora_sk_{'z' * 12}_{token.removeprefix(f'agora_sk_{key.lookup}_')}"
    if key.lookup != "z" * 12:
        body = assert_problem(bearer(unknown).get("/api/v1/me"), 401, "api-key-invalid")
        assert "not known" in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers", [{}, {"HTTP_AUTHORIZATION": ""}, {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}]
)
def test_missing_key_is_refused(db, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    response = Client(**headers).get("/api/v1/seller/products")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_problem(Client(**headers).get("/api/v1/me"), 401)


@pytest.mark.django_db
def test_key_without_the_scope_gets_403_and_writes_nothing(seller) -> None:  # type: ignore[no-untyped-def]
    reader = key_client(seller, ["catalog:read"])
    before = (Product.objects.count(), AuditEntry.objects.count())
    body = assert_problem(
        post_json(reader, "/api/v1/seller/products", PRODUCT), 403, "scope-missing"
    )
    assert "catalog:write" in body["detail"] or "pricing:write" in body["detail"]
    assert (Product.objects.count(), AuditEntry.objects.count()) == before
    assert reader.get("/api/v1/seller/products").status_code == 200  # reading is in scope

    pricing_only = key_client(seller, ["pricing:write"])
    assert_problem(pricing_only.get("/api/v1/seller/products"), 403, "scope-missing")
    assert_problem(
        post_json(pricing_only, "/api/v1/seller/products", PRODUCT), 403, "scope-missing"
    )
    assert Product.objects.count() == before[0]


@pytest.mark.django_db
def test_write_scope_implies_read(seller) -> None:  # type: ignore[no-untyped-def]
    writer = key_client(seller, ["catalog:write", "pricing:write"])
    assert writer.get("/api/v1/seller/products").status_code == 200
    assert post_json(writer, "/api/v1/seller/products", PRODUCT).status_code == 201


@pytest.mark.django_db
def test_last_used_is_recorded_at_most_once_a_minute(seller) -> None:  # type: ignore[no-untyped-def]
    with clock.frozen_at(T0):
        key, token = issue(seller)
        assert ApiKey.objects.get(pk=key.pk).last_used_at is None
        assert bearer(token).get("/api/v1/me").status_code == 200
        assert ApiKey.objects.get(pk=key.pk).last_used_at == T0
        clock.advance(timedelta(seconds=59))
        bearer(token).get("/api/v1/me")
        assert ApiKey.objects.get(pk=key.pk).last_used_at == T0
        clock.advance(timedelta(seconds=1))
        bearer(token).get("/api/v1/me")
        assert ApiKey.objects.get(pk=key.pk).last_used_at == T0 + timedelta(seconds=60)


@pytest.mark.django_db
def test_app_key_is_refused_on_seller_endpoints(seller) -> None:  # type: ignore[no-untyped-def]
    key, token = issue(None, scopes=["catalog:write", "pricing:write"])
    assert key.kind == ApiKey.Kind.APP and key.seller_id is None
    me = bearer(token).get("/api/v1/me")
    assert me.status_code == 200 and me.json()["seller"] is None
    for response in (
        bearer(token).get("/api/v1/seller/products"),
        post_json(bearer(token), "/api/v1/seller/products", PRODUCT),
    ):
        body = assert_problem(response, 401, "api-key-invalid")
        assert "seller" in body["detail"]
    assert not Product.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "scopes": ["catalog:read"]}, "name"),
        ({"name": "k", "scopes": []}, "scopes"),
        ({"name": "k" * 101, "scopes": ["catalog:read"]}, "name"),
        ({"name": "k", "scopes": ["catalog:admin"]}, "scopes"),
        ({"name": "k", "scopes": ["catalog:read"], "expires_at": T0}, "expires_at"),
    ],
)
def test_issuing_refuses_bad_input(seller, kwargs, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AgoraError) as caught:
        api_key_issue(actor=SYSTEM, seller_id=seller.pk, **kwargs)
    assert [e.field for e in caught.value.errors] == [field]
    assert not ApiKey.objects.exists()


@pytest.mark.django_db
def test_issuing_is_audited_without_the_secret(seller) -> None:  # type: ignore[no-untyped-def]
    key, _ = issue(seller)
    entry = AuditEntry.objects.get(action="api_key.issued", target_id=key.public_id)
    assert entry.seller_id == seller.pk
    assert entry.changes == {"name": "k", "scopes": ["catalog:write", "pricing:write"]}


@pytest.mark.django_db
def test_authenticate_service_refuses_empty(db) -> None:  # type: ignore[no-untyped-def]
    for token in ("", None):
        with pytest.raises(AgoraError):
            api_key_authenticate(token)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_catalog_write_alone_creates_unpriced_drafts_only(seller) -> None:  # type: ignore[no-untyped-def]
    catalog_only = key_client(seller, ["catalog:write"])
    unpriced = {"title": "Draft", "variants": [{"sku": "D-1"}]}
    assert post_json(catalog_only, "/api/v1/seller/products", unpriced).status_code == 201
    body = assert_problem(
        post_json(catalog_only, "/api/v1/seller/products", PRODUCT), 403, "scope-missing"
    )
    assert "pricing:write" in body["detail"]
    assert Product.objects.count() == 1
