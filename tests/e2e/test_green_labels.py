"""A buyer sees a green label on a demo e-bike's product page, with its carbon footprint marked
as a cited category average, and opens the label's evidence: the rule it was computed from,
with the figures, the review and the challenge form. On a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from agora.demo.generate import DemoSpec
from agora.demo.traceability import certified_item
from tests.e2e.browser import ContextFactory, axe_check, shot

pytestmark = pytest.mark.e2e


def test_product_page_links_its_label_to_the_evidence(
    desktop: ContextFactory, demo: DemoSpec
) -> None:
    bike, _ = certified_item(demo)  # a demo e-bike: repairable (10 years of spare parts)
    page = desktop().new_page()
    page.goto(f"/passports/{bike.gtin.zfill(14)}/")
    materials = page.get_by_role("region", name="Materials")
    # The passport shows the footprint sustainability holds, with its basis.
    expect(materials).to_contain_text("a published category average")
    axe_check(page)
    page.get_by_role("link", name="See this product in the shop").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("E-Bike")
    axe_check(page)

    labels = page.get_by_role("list", name="Labels")
    link = labels.get_by_role("link", name=re.compile("Repairable"))
    expect(link).to_be_visible()
    footprint = page.get_by_role("region", name="Carbon footprint")
    expect(footprint).to_contain_text("kg CO₂e per unit")
    expect(footprint).to_contain_text("published category average")
    expect(footprint).to_contain_text("Dolci")
    shot(page, "green-label-product")

    link.click()
    expect(page).to_have_url(re.compile(r"/sustainability/labels/glbl_[0-9a-z]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Repairable")
    evidence = page.get_by_role("region", name="Evidence")
    expect(evidence).to_contain_text("spare parts for 10 years")
    expect(page.get_by_text(re.compile("by Agora operator"))).to_be_visible()
    challenges = page.get_by_role("region", name="Challenges")
    expect(challenges.get_by_role("button", name="Send the challenge")).to_be_visible()
    axe_check(page)
    shot(page, "green-label-evidence")

    # Anyone may challenge it; the challenge is recorded on the page for the operator.
    challenges.get_by_label("What is wrong with this label?").fill(
        "The shop says spare parts are only kept for two years."
    )
    challenges.get_by_role("button", name="Send the challenge").click()
    expect(page.get_by_role("region", name="Challenges")).to_contain_text("only kept for two years")
    expect(page.get_by_role("region", name="Challenges")).to_contain_text("open")
    axe_check(page)
