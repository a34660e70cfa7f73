"""A buyer scans the QR code on a demo e-bike: the code's GS1 Digital Link, opened in the
browser, goes through the resolver to the bike's public passport, which shows where it was made,
what it is made of, its journey and that each record is verified against a signed log head.
On a desktop."""

from __future__ import annotations

import io
import re
import urllib.request

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from agora.demo.generate import DemoSpec
from agora.demo.traceability import certified_item
from tests.e2e.browser import ContextFactory, axe_check, shot
from tests.e2e.server import AgoraServer

pytestmark = pytest.mark.e2e


def test_scanning_the_qr_code_opens_the_items_passport(
    desktop: ContextFactory, agora_server: AgoraServer, demo: DemoSpec
) -> None:
    bike, serial = certified_item(demo)
    gtin = bike.gtin.zfill(14)
    with urllib.request.urlopen(
        f"{agora_server.url}/passports/qr/{gtin}.png?serial={serial}", timeout=30
    ) as answer:
        assert answer.headers["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(answer.read()))
    (code,) = zxingcpp.read_barcodes(image)
    uri = code.text
    assert uri == f"{agora_server.url}/01/{gtin}/21/{serial}"

    page = desktop().new_page()
    response = page.goto(uri)
    assert response is not None and response.ok
    # The resolver answered with a redirect to the passport page (its default link).
    assert response.request.redirected_from is not None
    assert response.request.redirected_from.url == uri
    assert re.search(rf"/passports/{gtin}/\?serial={serial}$", page.url), page.url
    axe_check(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("E-Bike")
    origin = page.get_by_role("region", name="Origin")
    expect(origin).to_contain_text("Utrecht, Netherlands")
    expect(origin).to_contain_text("Fietsfabriek workshop, Nieuwegein")
    materials = page.get_by_role("region", name="Materials")
    expect(materials.get_by_role("table")).to_contain_text("aluminium frame")
    expect(materials).to_contain_text("kg CO₂e per unit")
    journey = page.get_by_role("region", name="Journey")
    steps = journey.get_by_role("listitem")
    expect(steps).to_have_count(5)
    expect(steps.first).to_contain_text("Made and given its identity")
    expect(steps.first).to_contain_text("Magazijn Nieuwegein, Nieuwegein")
    expect(steps.last).to_contain_text("Sold")
    for step in steps.all():
        expect(step).to_contain_text(re.compile(r"Verified against log head #\d+"))
    certifications = page.get_by_role("region", name="Certifications")
    expect(certifications).to_contain_text("Its signature checks with the log's key.")
    expect(certifications).to_contain_text(re.compile(r"Verified against log head #\d+"))
    expect(page.get_by_text("agora trace verify", exact=False)).to_be_visible()
    shot(page, "passport")

    # The bundle the page links to is the one `agora trace verify` reads.
    href = steps.first.get_by_role(
        "link", name=re.compile("Download the proof bundle")
    ).get_attribute("href")
    assert href and href.startswith("/api/v1/trace/bundle/epcis_event/")
