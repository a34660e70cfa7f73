"""The GS1 Digital Link resolver as a scanner app or a browser meets it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.conftest import assert_problem
from tests.traceability.passports.conftest import GTIN13, GTIN14, World

pytestmark = pytest.mark.django_db
LINKSET = "application/linkset+json"


def test_no_link_type_redirects_to_the_passport_with_a_link_to_the_linkset(
    client: Client, world: World
) -> None:
    response = client.get(f"/01/{GTIN14}/21/SN0001")
    assert response.status_code == 307
    assert response["Location"] == f"/passports/{GTIN14}/?serial=SN0001".replace(
        "/passports", "http://testserver/passports"
    )
    assert response["Link"] == (
        f'<http://testserver/01/{GTIN14}/21/SN0001?linkType=linkset>; rel="linkset"; '
        f'type="{LINKSET}"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_trailing_slash_is_forgiven(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN14}/21/SN0001/")
    assert response.status_code == 307
    assert response["Location"].endswith("?serial=SN0001")


def test_a_short_gtin_in_the_uri_resolves_to_the_same_product(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN13}")
    assert response.status_code == 307
    assert urlsplit(response["Location"]).path == f"/passports/{GTIN14}/"


@pytest.mark.parametrize("value", ["all", "linkset"])
def test_link_type_all_answers_the_linkset(client: Client, world: World, value: str) -> None:
    response = client.get(f"/01/{GTIN14}/21/SN0001?linkType={value}")
    assert response.status_code == 200
    assert response["Content-Type"] == LINKSET
    assert "json-ld#context" in response["Link"]
    (context,) = response.json()["linkset"]
    assert context["anchor"] == f"http://testserver/01/{GTIN14}/21/SN0001"
    default = context["https://gs1.org/voc/defaultLink"][0]
    assert default["href"].endswith(f"/passports/{GTIN14}/?serial=SN0001")
    assert default["title"] and default["type"] == "text/html" and default["hreflang"]
    pip = context["https://gs1.org/voc/pip"][0]["href"]
    assert pip == f"http://testserver/p/{world.product.public_id}/"
    for key in ("sustainabilityInfo", "certificationInfo", "traceability", "epcis", "instructions"):
        assert f"https://gs1.org/voc/{key}" in context, key
    epcis = context["https://gs1.org/voc/epcis"][0]
    assert epcis["type"] == "application/ld+json"
    assert epcis["href"] == (
        "http://testserver/api/v1/epcis/events?MATCH_epc=http%3A%2F%2Ftestserver%2F01%2F"
        f"{GTIN14}%2F21%2FSN0001"
    )


def test_accept_linkset_json_without_link_type_gets_the_linkset(
    client: Client, world: World
) -> None:
    response = client.get(f"/01/{GTIN14}", headers={"Accept": LINKSET})
    assert response.status_code == 200
    assert response.json()["linkset"][0]["anchor"] == f"http://testserver/01/{GTIN14}"


@pytest.mark.parametrize(
    ("link_type", "ending"),
    [
        ("gs1:pip", "/p/{public_id}/"),
        ("https://gs1.org/voc/sustainabilityInfo", "#sustainability"),
        ("https://ref.gs1.org/voc/traceability", "#journey"),
        ("gs1:certificationInfo", "#certifications"),
        ("gs1:instructions", "#repair"),
        ("gs1:nutritionalInfo", "/passports/{gtin}/"),  # none such: the default link
        ("schema:Thing", "/passports/{gtin}/"),
    ],
)
def test_a_link_type_redirects_to_that_link_or_the_default(
    client: Client, world: World, link_type: str, ending: str
) -> None:
    response = client.get(f"/01/{GTIN14}", {"linkType": link_type})
    assert response.status_code == 307
    expected = ending.format(public_id=world.product.public_id, gtin=GTIN14)
    assert response["Location"].endswith(expected), response["Location"]


def test_data_attributes_are_passed_on_to_the_target(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN14}?linkType=gs1:pip&17=271231")
    assert response.status_code == 307
    assert response["Location"].endswith("?17=271231")


def test_an_unknown_serial_is_answered_from_the_gtin_entry_and_says_so(
    client: Client, world: World
) -> None:
    response = client.get(f"/01/{GTIN14}/21/NOPE99?linkType=linkset")
    assert response.status_code == 200
    assert response.json()["linkset"][0]["anchor"] == f"http://testserver/01/{GTIN14}"
    assert "unknown serial" in response["Warning"]
    redirect = client.get(f"/01/{GTIN14}/21/NOPE99")
    assert redirect.status_code == 307
    assert redirect["Location"].endswith(f"/passports/{GTIN14}/?serial=NOPE99")
    page = client.get(redirect["Location"])
    assert page.status_code == 200
    assert "We do not know an item with serial number NOPE99" in page.content.decode()


def test_a_known_lot_anchors_the_linkset_at_the_lot(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN14}/10/L2026-01?linkType=all")
    (context,) = response.json()["linkset"]
    assert context["anchor"] == f"http://testserver/01/{GTIN14}/10/L2026-01"
    assert "MATCH_epcClass=" in context["https://gs1.org/voc/epcis"][0]["href"]


def test_the_gtin_entry_queries_every_event_of_the_gtin(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN14}?linkType=linkset")
    epcis = response.json()["linkset"][0]["https://gs1.org/voc/epcis"][0]["href"]
    assert epcis == f"http://testserver/api/v1/epcis/events?gtin={GTIN14}"
    # and that query answers
    assert client.get(epcis.removeprefix("http://testserver")).status_code == 200


def test_a_consumer_product_variant_is_answered_at_the_gtin(client: Client, world: World) -> None:
    response = client.get(f"/01/{GTIN14}/22/2A?linkType=linkset")
    assert response.status_code == 200
    assert response.json()["linkset"][0]["anchor"] == f"http://testserver/01/{GTIN14}"


def test_an_unknown_gtin_is_404(client: Client, world: World) -> None:
    response = client.get("/01/09506000134352", headers={"Accept": "application/json"})
    body = assert_problem(response, 404, "not-found")
    assert "09506000134352" in body["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/01/04260712000018", "check digit"),
        ("/01/12345", "GTIN"),
        ("/01/04260712000019/21/SN1/10/L1", "10"),  # qualifiers out of order
        ("/01/04260712000019/21/" + "X" * 21, "20"),
    ],
)
def test_a_malformed_uri_is_400_naming_the_problem(
    client: Client, world: World, path: str, words: str
) -> None:
    response = client.get(path, headers={"Accept": "application/json"})
    body = assert_problem(response, 400, "digital-link-invalid")
    assert words in body["detail"], body["detail"]
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "This product link is not valid" in page.content.decode()


def test_options_preflight_allows_any_origin(client: Client, world: World) -> None:
    response = client.options(
        f"/01/{GTIN14}",
        headers={"Origin": "https://scanner.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_head_is_answered_like_get(client: Client, world: World) -> None:
    response = client.head(f"/01/{GTIN14}")
    assert response.status_code == 307


def test_post_is_not_allowed(client: Client, world: World) -> None:
    response = client.post(f"/01/{GTIN14}")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_the_resolver_description_is_at_the_well_known_place(client: Client) -> None:
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    body = response.json()
    assert body["resolverRoot"] == "http://testserver"
    assert body["supportedPrimaryKeys"] == ["01"]
    assert {"namespace": "https://gs1.org/voc/", "prefix": "gs1:"} in body["supportedLinkType"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_base_comes_from_the_environment_when_set(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGORA_DIGITAL_LINK_BASE", "https://id.agora.example/")
    response = client.get(f"/01/{GTIN14}?linkType=linkset")
    assert response.json()["linkset"][0]["anchor"] == f"https://id.agora.example/01/{GTIN14}"
