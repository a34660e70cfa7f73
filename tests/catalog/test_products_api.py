"""The seller's catalogue through the API: create, change, publish, unpublish, delete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from agora.catalog.models import Product, ProductMedia, Variant
from agora.catalog.services import VariantInput, media_add, product_create, product_update
from agora.core import clock
from agora.core.errors import AgoraError
from agora.core.models import AuditEntry, OutboxEvent
from agora.marketplace.models import Seller
from agora.marketplace.services import seller_transition
from agora.pricing.models import Price
from tests.conftest import (
    SYSTEM,
    assert_problem,
    make_category,
    make_product,
    patch_json,
    post_json,
)

PATH = "/api/v1/seller/products"
T0 = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def new_product(**extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "title": "Stoneware bowl",
        "description": "Hand thrown.",
        "translations": {"zh-hans": {"title": "石器碗"}},
        "variants": [
            {
                "sku": "BOWL-S",
                "gtin": "4006381333931",
                "options": {"size": "S"},
                "weight_grams": 300,
                "prices": [
                    {"currency": "EUR", "amount_minor": 2400},
                    {"currency": "JPY", "amount_minor": 3900},
                ],
            },
            {"sku": "BOWL-L", "options": {"size": "L"}},
        ],
        **extra,
    }


def events(name: str) -> list[dict]:
    return [e.payload for e in OutboxEvent.objects.filter(name=name).order_by("id")]


def audits(action: str, target: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_id=target).order_by("id"))


@pytest.mark.django_db
def test_create_returns_the_product_as_stored(seller: Seller, api: Client) -> None:
    category = make_category("Kitchen")
    with clock.frozen_at(T0):
        response = post_json(api, PATH, new_product(category=category.public_id))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("prod_") and body["status"] == "draft"
    assert body["slug"] == "stoneware-bowl" and body["seller"]["id"] == seller.public_id
    assert body["category"]["id"] == category.public_id
    assert body["translations"] == {"zh-hans": {"title": "石器碗"}}
    small, large = body["variants"]
    assert (small["sku"], small["gtin"], small["options"], small["weight_grams"]) == (
        "BOWL-S",
        "4006381333931",
        {"size": "S"},
        300,
    )
    assert small["prices"] == [
        {"currency": "EUR", "amount_minor": 2400, "amount": "24.00"},
        {"currency": "JPY", "amount_minor": 3900, "amount": "3900"},
    ]
    assert large["prices"] == []
    assert body["created_at"].startswith("2026-05-04T10:00:00")
    product = Product.objects.get(public_id=body["id"])
    assert product.seller_id == seller.pk
    assert Variant.objects.filter(product=product).count() == 2
    assert api.get(f"{PATH}/{body['id']}").json() == body
    [created] = audits("product.created", body["id"])
    assert created.changes == {"title": "Stoneware bowl", "variants": ["BOWL-S", "BOWL-L"]}
    assert created.actor_kind == "api_key" and created.seller_id == seller.pk
    assert len(events("price.changed")) == 2
    assert not events("product.published")


@pytest.mark.django_db
def test_create_and_publish_in_one_go(seller: Seller, api: Client) -> None:
    response = post_json(api, PATH, new_product(publish=True))
    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert events("product.published") == [
        {"product_id": response.json()["id"], "seller_id": seller.public_id}
    ]


@pytest.mark.django_db
def test_create_and_publish_without_a_price_creates_nothing(seller: Seller, api: Client) -> None:
    body = new_product(publish=True)
    body["variants"][0]["prices"] = []
    assert_problem(post_json(api, PATH, body), 409, "product-not-publishable")
    assert (
        not Product.objects.exists()
        and not AuditEntry.objects.filter(
            seller_id=seller.pk, action__startswith="product"
        ).exists()
    )
    # the seller fixture's own activation is announced; nothing of the product is
    assert not OutboxEvent.objects.exclude(name__startswith="seller.").exists()


@pytest.mark.django_db
def test_two_products_may_share_a_title_but_not_a_chosen_slug(seller: Seller, api: Client) -> None:
    first = post_json(api, PATH, new_product())
    second = post_json(api, PATH, {**new_product(), "variants": [{"sku": "OTHER"}]})
    assert first.status_code == second.status_code == 201
    assert first.json()["slug"] == "stoneware-bowl"
    assert second.json()["slug"] == "stoneware-bowl-2"
    third = post_json(
        api, PATH, {**new_product(slug="stoneware-bowl"), "variants": [{"sku": "THIRD"}]}
    )
    assert_problem(third, 409, "product-slug-taken", "slug")
    assert Product.objects.count() == 2
    untitled = [
        post_json(api, PATH, {"title": "茶杯", "variants": [{"sku": f"CUP-{i}"}]}) for i in range(2)
    ]
    assert [r.status_code for r in untitled] == [201, 201]
    assert untitled[0].json()["slug"] != untitled[1].json()["slug"]


@pytest.mark.django_db
def test_sku_is_unique_per_seller_only(
    seller: Seller, other_seller: Seller, api: Client, other_api: Client
) -> None:
    assert post_json(api, PATH, new_product()).status_code == 201
    clash = post_json(api, PATH, {"title": "Another", "variants": [{"sku": "BOWL-S"}]})
    assert_problem(clash, 409, "sku-taken", "variants[0].sku")
    assert post_json(other_api, PATH, new_product()).status_code == 201


@pytest.mark.django_db
def test_patch_changes_records_and_announces(seller: Seller, api: Client) -> None:
    with clock.frozen_at(T0):
        pid = post_json(api, PATH, new_product()).json()["id"]
        clock.advance(timedelta(hours=1))
        response = patch_json(
            api, f"{PATH}/{pid}", {"title": "Stoneware bowl, blue", "description": "Glazed."}
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["description"]) == ("Stoneware bowl, blue", "Glazed.")
    assert body["updated_at"].startswith("2026-05-04T11:00:00")
    assert body["slug"] == "stoneware-bowl"  # the URL does not move when the title does
    [entry] = audits("product.updated", pid)
    assert entry.changes == {
        "title": ["Stoneware bowl", "Stoneware bowl, blue"],
        "description": ["Hand thrown.", "Glazed."],
    }
    assert events("product.updated") == [
        {"product_id": pid, "seller_id": seller.public_id, "fields": ["description", "title"]}
    ]


@pytest.mark.django_db
def test_patch_that_changes_nothing_writes_nothing(seller: Seller, api: Client) -> None:
    body = post_json(api, PATH, new_product()).json()
    before = (AuditEntry.objects.count(), OutboxEvent.objects.count())
    response = patch_json(
        api, f"{PATH}/{body['id']}", {"title": "Stoneware bowl", "description": "Hand thrown."}
    )
    assert response.status_code == 200
    assert response.json()["updated_at"] == body["updated_at"]
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == before


@pytest.mark.django_db
def test_patch_category_translations_and_clear_category(seller: Seller, api: Client) -> None:
    pid = post_json(api, PATH, new_product()).json()["id"]
    category = make_category("Tableware")
    body = patch_json(
        api,
        f"{PATH}/{pid}",
        {"category": category.public_id, "translations": {"zh-hans": {"description": "手工"}}},
    ).json()
    assert body["category"]["id"] == category.public_id
    assert body["translations"] == {"zh-hans": {"description": "手工"}}
    assert patch_json(api, f"{PATH}/{pid}", {"category": None}).json()["category"] is None


@pytest.mark.django_db
def test_patch_slug_to_a_taken_one_is_refused(seller: Seller, api: Client) -> None:
    make_product(seller, "Taken")
    pid = post_json(api, PATH, new_product()).json()["id"]
    assert_problem(
        patch_json(api, f"{PATH}/{pid}", {"slug": "taken"}), 409, "product-slug-taken", "slug"
    )
    assert Product.objects.get(public_id=pid).slug == "stoneware-bowl"


@pytest.mark.django_db
def test_publish_needs_a_priced_variant(seller: Seller, api: Client) -> None:
    product = make_product(seller, "Bare", prices={})
    body = assert_problem(
        post_json(api, f"{PATH}/{product.public_id}/publish", None), 409, "product-not-publishable"
    )
    assert product.public_id in body["detail"]
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    assert not events("product.published")


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["applied", "verified", "suspended"])
def test_publish_needs_an_active_seller(db, state: str) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import key_client, make_seller

    seller = make_seller("gamma", active=state == "suspended")
    if state == "verified":
        seller = seller_transition(actor=SYSTEM, seller=seller, to="verified")
    product = make_product(seller, "Lamp")
    if state == "suspended":
        seller = seller_transition(actor=SYSTEM, seller=seller, to="suspended", reason="test")
    client = key_client(seller)
    body = assert_problem(
        post_json(client, f"{PATH}/{product.public_id}/publish", None), 409, "seller-not-active"
    )
    assert state in body["detail"]
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT and product.published_at is None


@pytest.mark.django_db
def test_publish_unpublish_cycle(seller: Seller, api: Client) -> None:
    product = make_product(seller, "Vase")
    url = f"{PATH}/{product.public_id}"
    with clock.frozen_at(T0):
        published = post_json(api, f"{url}/publish", None)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert published.json()["published_at"].startswith("2026-05-04T10:00:00")
    assert Client().get(f"/api/v1/products/{product.public_id}").status_code == 200
    again = post_json(api, f"{url}/publish", None)  # publishing twice is harmless
    assert again.status_code == 200
    assert len(events("product.published")) == 1
    assert len(audits("product.published", product.public_id)) == 1

    unpublished = post_json(api, f"{url}/unpublish", None)
    assert unpublished.status_code == 200 and unpublished.json()["status"] == "draft"
    assert Client().get(f"/api/v1/products/{product.public_id}").status_code == 404
    assert post_json(api, f"{url}/unpublish", None).status_code == 200
    assert events("product.unpublished") == [
        {"product_id": product.public_id, "seller_id": seller.public_id}
    ]
    [entry] = audits("product.draft", product.public_id)
    assert entry.changes == {"status": ["published", "draft"]}


@pytest.mark.django_db
def test_delete_removes_the_product_and_its_variants(seller: Seller, api: Client) -> None:
    product = make_product(seller, "Jug", prices={"EUR": 100}, publish=True)
    variant_ids = list(product.variants.values_list("pk", flat=True))
    response = api.delete(f"{PATH}/{product.public_id}")
    assert response.status_code == 204 and response.content == b""
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not Variant.objects.filter(pk__in=variant_ids).exists()
    assert not Price.objects.filter(variant_id__in=variant_ids).exists()
    assert_problem(api.get(f"{PATH}/{product.public_id}"), 404, "not-found")
    assert_problem(api.delete(f"{PATH}/{product.public_id}"), 404, "not-found")
    [entry] = audits("product.deleted", product.public_id)
    assert entry.changes == {"title": "Jug", "skus": ["Jug-sku"]}
    assert events("product.deleted") == [
        {"product_id": product.public_id, "seller_id": seller.public_id}
    ]


@pytest.mark.django_db
def test_variants_add_change_delete(seller: Seller, api: Client) -> None:
    product = make_product(seller, "Scarf", sku="SC-1")
    added = post_json(
        api,
        f"{PATH}/{product.public_id}/variants",
        {
            "sku": "SC-2",
            "title": "Red",
            "options": {"colour": "red"},
            "prices": [{"currency": "GBP", "amount_minor": 1500}],
        },
    )
    assert added.status_code == 201, added.content
    vid = added.json()["id"]
    assert added.json()["prices"] == [{"currency": "GBP", "amount_minor": 1500, "amount": "15.00"}]
    assert [v["sku"] for v in api.get(f"{PATH}/{product.public_id}").json()["variants"]] == [
        "SC-1",
        "SC-2",
    ]

    changed = patch_json(
        api,
        f"/api/v1/seller/variants/{vid}",
        {"sku": "SC-2R", "gtin": "96385074", "weight_grams": None},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["sku"], changed.json()["gtin"]) == ("SC-2R", "96385074")
    [entry] = audits("variant.updated", vid)
    assert entry.changes == {"sku": ["SC-2", "SC-2R"], "gtin": ["", "96385074"]}
    clash = patch_json(api, f"/api/v1/seller/variants/{vid}", {"sku": "SC-1"})
    assert_problem(clash, 409, "sku-taken", "sku")

    assert api.delete(f"/api/v1/seller/variants/{vid}").status_code == 204
    assert not Variant.objects.filter(public_id=vid).exists()
    assert len(audits("variant.deleted", vid)) == 1
    assert len(audits("variant.created", vid)) == 1
    assert [v["sku"] for v in api.get(f"{PATH}/{product.public_id}").json()["variants"]] == ["SC-1"]


@pytest.mark.django_db
def test_seller_list_filters_by_status(seller: Seller, api: Client) -> None:
    draft = make_product(seller, "Draft one")
    live = make_product(seller, "Live one", publish=True)

    def ids(query: str) -> list[str]:
        response = api.get(f"{PATH}{query}")
        assert response.status_code == 200, response.content
        return [p["id"] for p in response.json()["items"]]

    assert ids("") == [live.public_id, draft.public_id]
    assert ids("?status=draft") == [draft.public_id]
    assert ids("?status=published") == [live.public_id]
    assert_problem(api.get(f"{PATH}?status=gone"), 422, "validation-error", "status")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "t" * 301}, "title"),
        (
            {"title": "ok", "variants": [VariantInput(sku="S", title="v" * 201)]},
            "variants[0].title",
        ),
        ({"title": "ok", "variants": [VariantInput(sku="S" * 65)]}, "variants[0].sku"),
    ],
)
def test_services_refuse_text_longer_than_its_column(
    seller: Seller, kwargs: dict, field: str
) -> None:
    """Importers call the services directly; on PostgreSQL an over-long value would otherwise
    be a server error instead of a rejected row naming the field."""
    with pytest.raises(AgoraError) as caught:
        product_create(actor=SYSTEM, seller=seller, **kwargs)
    assert [e.field for e in caught.value.errors] == [field]
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_update_and_media_refuse_over_long_text(seller: Seller) -> None:
    product = make_product(seller, "Rug")
    with pytest.raises(AgoraError) as caught:
        product_update(actor=SYSTEM, product=product, changes={"title": "t" * 301})
    assert caught.value.errors[0].field == "title"
    for kwargs, field in (
        ({"url": "https://x/" + "u" * 500}, "url"),
        ({"url": "/m.png", "alt": "a" * 301}, "alt"),
    ):
        with pytest.raises(AgoraError) as caught:
            media_add(actor=SYSTEM, product=product, kind="image", **kwargs)
        assert caught.value.errors[0].field == field
    assert not ProductMedia.objects.exists()
    media = media_add(
        actor=SYSTEM, product=product, kind="model", url="/media/rug.glb", alt="3D rug"
    )
    assert media.public_id.startswith("med_") and media.position == 0


@pytest.mark.django_db
def test_variant_names_are_translated_like_product_text(seller: Seller, api: Client) -> None:
    body = new_product()
    body["variants"][0]["title"] = "Small"
    body["variants"][0]["translations"] = {"zh-hans": {"title": "小号"}}
    created = post_json(api, PATH, body)
    assert created.status_code == 201, created.content
    variant = created.json()["variants"][0]
    assert variant["translations"] == {"zh-hans": {"title": "小号"}}
    url = f"/api/v1/seller/variants/{variant['id']}"
    patched = patch_json(api, url, {"translations": {"zh-hans": {"title": "小码"}}})
    assert patched.status_code == 200, patched.content
    assert patched.json()["translations"] == {"zh-hans": {"title": "小码"}}
    bad = patch_json(api, url, {"translations": {"xx": {"title": "?"}}})
    assert_problem(bad, 422, field="translations.xx")
    body = new_product(slug="other")
    body["variants"][0]["sku"] = "BOWL-T"
    body["variants"][0]["translations"] = {"zh-hans": {"description": "no"}}
    assert_problem(post_json(api, PATH, body), 422)


def test_deleting_a_variant_whose_product_just_went_is_not_found(seller: Seller) -> None:
    """Found by the API fuzzer: a variant looked up, then its product deleted by another
    request before the delete took the lock, was a 500."""
    from agora.catalog.services import product_delete, variant_delete
    from tests.conftest import SYSTEM

    product = make_product(seller, "Gone soon")
    variant = product.variants.first()
    product_delete(actor=SYSTEM, product=product)
    with pytest.raises(AgoraError) as gone:
        variant_delete(actor=SYSTEM, variant=variant)
    assert gone.value.problem.status == 404
