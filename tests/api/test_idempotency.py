"""Idempotency-Key on POST: a retried request gets the first answer and does not act twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from agora.api.models import IdempotencyRecord
from agora.catalog.models import Product
from agora.core import clock
from agora.marketplace.models import Seller
from tests.conftest import assert_problem, key_client, make_product, post_json, put_json

PATH = "/api/v1/seller/products"


def body(sku: str = "IDEM-1", amount: int = 1500) -> dict:
    return {
        "title": "Idempotent mug",
        "variants": [{"sku": sku, "prices": [{"currency": "EUR", "amount_minor": amount}]}],
    }


@pytest.mark.django_db
def test_same_key_same_body_replays_and_creates_once(seller: Seller, api: Client) -> None:
    first = post_json(api, PATH, body(), **{"Idempotency-Key": "create-1"})
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    second = post_json(api, PATH, body(), **{"Idempotency-Key": "create-1"})
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert Product.objects.filter(seller=seller).count() == 1
    assert Product.objects.get().public_id == first.json()["id"]


@pytest.mark.django_db
def test_without_a_key_each_post_acts(seller: Seller, api: Client) -> None:
    assert post_json(api, PATH, body("A")).status_code == 201
    assert post_json(api, PATH, body("A")).status_code == 409  # the SKU now exists
    assert Product.objects.count() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_same_key_different_body_is_refused(seller: Seller, api: Client) -> None:
    assert post_json(api, PATH, body(), **{"Idempotency-Key": "k"}).status_code == 201
    response = post_json(api, PATH, body(amount=1600), **{"Idempotency-Key": "k"})
    assert_problem(response, 422, "idempotency-key-reused")
    other_path = post_json(
        api, f"{PATH}/{Product.objects.get().public_id}/unpublish", {}, **{"Idempotency-Key": "k"}
    )
    assert_problem(other_path, 422, "idempotency-key-reused")
    assert Product.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_credential(seller: Seller, other_seller: Seller) -> None:
    alpha, beta = key_client(seller), key_client(other_seller)
    alpha_again = key_client(seller)  # another key of the same seller is another credential
    a = post_json(alpha, PATH, body(), **{"Idempotency-Key": "shared"})
    b = post_json(beta, PATH, body(), **{"Idempotency-Key": "shared"})
    assert a.status_code == b.status_code == 201
    assert "Idempotent-Replayed" not in b
    assert a.json()["id"] != b.json()["id"]
    assert b.json()["seller"]["id"] == other_seller.public_id
    c = post_json(alpha_again, PATH, body("IDEM-2"), **{"Idempotency-Key": "shared"})
    assert c.status_code == 201 and "Idempotent-Replayed" not in c
    assert Product.objects.filter(seller=seller).count() == 2
    assert Product.objects.filter(seller=other_seller).count() == 1


@pytest.mark.django_db
def test_a_client_error_is_replayed_too(seller: Seller, api: Client) -> None:
    """The first answer stands even when the world changed since: a refused publish stays
    refused for that key (the client must use a new key for a new attempt)."""
    product = make_product(seller, "Unpriced", prices={})
    url = f"{PATH}/{product.public_id}/publish"
    first = post_json(api, url, None, **{"Idempotency-Key": "pub-1"})
    assert_problem(first, 409, "product-not-publishable")
    put_json(
        api,
        f"/api/v1/seller/variants/{product.variants.get().public_id}/prices/EUR",
        {"amount_minor": 100},
    )
    again = post_json(api, url, None, **{"Idempotency-Key": "pub-1"})
    assert again.status_code == 409 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again["Content-Type"].startswith("application/problem+json")
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    fresh = post_json(api, url, None, **{"Idempotency-Key": "pub-2"})
    assert fresh.status_code == 200 and fresh.json()["status"] == "published"


@pytest.mark.django_db
def test_validation_error_is_replayed(seller: Seller, api: Client) -> None:
    bad = {"title": 5, "variants": []}
    first = post_json(api, PATH, bad, **{"Idempotency-Key": "bad-1"})
    assert_problem(first, 422, "validation-error")
    again = post_json(api, PATH, bad, **{"Idempotency-Key": "bad-1"})
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content


@pytest.mark.django_db
def test_an_expired_key_may_be_used_again(seller: Seller, api: Client) -> None:
    t0 = datetime(2026, 4, 1, tzinfo=UTC)
    with clock.frozen_at(t0):
        assert post_json(api, PATH, body("E-1"), **{"Idempotency-Key": "day"}).status_code == 201
        clock.advance(timedelta(hours=25))
        second = post_json(api, PATH, body("E-2"), **{"Idempotency-Key": "day"})
        assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Product.objects.count() == 2


@pytest.mark.django_db
def test_the_hourly_job_prunes_answers_past_their_lifetime(seller: Seller, api: Client) -> None:
    from agora.api.tasks import prune_idempotency_records
    from agora.core.schedule import jobs

    assert "api.prune_idempotency_records" in {job.name for job in jobs()}
    t0 = datetime(2026, 4, 1, tzinfo=UTC)
    with clock.frozen_at(t0):
        post_json(api, PATH, body("P-1"), **{"Idempotency-Key": "old"})
        clock.advance(timedelta(hours=23))
        post_json(api, PATH, body("P-2"), **{"Idempotency-Key": "young"})
        clock.advance(timedelta(hours=2))  # "old" is 25 h old, "young" 2 h
        assert prune_idempotency_records.call() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["young"]


@pytest.mark.django_db
def test_a_running_request_is_not_run_twice(seller: Seller, api: Client) -> None:
    """A record still marked running (the first request has not answered) gets 409."""
    first = post_json(api, PATH, body(), **{"Idempotency-Key": "slow"})
    IdempotencyRecord.objects.update(state=IdempotencyRecord.State.RUNNING, body=None)
    response = post_json(api, PATH, body(), **{"Idempotency-Key": "slow"})
    assert_problem(response, 409, "idempotency-key-in-progress")
    assert first.status_code == 201 and Product.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_a_bad_key_is_refused(seller: Seller, api: Client, key: str) -> None:
    response = post_json(api, PATH, body(), **{"Idempotency-Key": key})
    assert_problem(response, 422, "validation-error", field="header.Idempotency-Key")
    assert not Product.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_create_once() -> None:
    """Requests with one key racing each other (threads, own connections): one acts, the others
    get the replay or 409 in-progress, never a second product."""
    import threading

    from django.db import connection

    from tests.conftest import make_seller

    seller = make_seller("racer")
    client = key_client(seller)
    start = threading.Barrier(4)
    statuses: list[int] = []

    def attempt() -> None:
        try:
            start.wait()
            statuses.append(
                post_json(client, PATH, body("RACE"), **{"Idempotency-Key": "race"}).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(statuses) == 4
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    assert Product.objects.filter(seller=seller).count() == 1
