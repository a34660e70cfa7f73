"""Recommendations as a demo buyer sees them: personal picks on the home page, each saying why
in the engine's own words (learned from the demo's purchase history), the "why am I seeing
this" page with the main parameters, the switch to a feed not based on profiling, and "not
interested" taking an item away at once. On a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from agora.demo.generate import DemoSpec
from tests.e2e.browser import ContextFactory, axe_check, shot, visit
from tests.e2e.shop import log_in

pytestmark = pytest.mark.e2e

# The first words of every kind of reason the engine writes (agora/recommendations/reasons.py).
ENGINE_REASON = re.compile(
    r"^(You bought this|Often bought|Bought with|Popular|Similar to|Bought by|"
    r"Bought around|\d+ other buyers? of|Buyers who bought)"
)
NOT_PERSONAL_REASON = re.compile(r"^(\d+ sold in the last 30 days|New in the store)$")


def _section(page: Page) -> Locator:
    return page.get_by_role("region", name="Recommended for you")


def _cards(page: Page) -> list[tuple[str, str]]:
    """(product link, reason) of each card of the recommended row."""
    found = []
    for card in _section(page).get_by_role("article").all():
        href = card.get_by_role("link").first.get_attribute("href") or ""
        found.append((href, card.locator(".reason").inner_text().strip()))
    return found


def _press(page: Page, scope: Locator, name: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=name).click()
    axe_check(page)


def test_a_buyer_sees_personal_picks_with_reasons_and_controls(
    desktop: ContextFactory, demo: DemoSpec
) -> None:
    buyer = demo.buyers[2]  # buyer3, whom no other browser test signs in as
    page = desktop().new_page()
    visit(page, "/accounts/login/?next=/")
    log_in(page, buyer.email, buyer.password)
    visit(page, "/")

    section = _section(page)
    expect(section).to_be_visible()
    expect(section).to_contain_text("Picked from what you bought")
    personal = _cards(page)
    assert len(personal) >= 4, personal
    for href, reason in personal:
        assert ENGINE_REASON.match(reason), f"{href}: {reason!r} is not an engine reason"
    assert any(reason.startswith("You bought this") for _, reason in personal), personal
    shot(page, "recommendations-home")

    # "Not interested" removes the item from the next list, without retraining.
    dismissed = personal[0][0]
    first = section.get_by_role("article").first
    _press(page, first, re.compile(r"^Not interested"))
    expect(page.get_by_text("we will not show that item to you again")).to_be_visible()
    after = _cards(page)
    assert after and dismissed not in [href for href, _ in after], after

    # The main parameters, and the switch to a feed that uses nothing about the buyer.
    with page.expect_navigation():
        section.get_by_role("link", name="Why am I seeing this?").click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why am I seeing these recommendations?"
    )
    for heading in ("What we use", "How they are weighed", "Your choices"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Your purchases on Agora")
    shot(page, "recommendations-why")
    _press(page, page.get_by_role("main"), "Turn off personal recommendations")
    expect(page.get_by_role("button", name="Turn on personal recommendations")).to_be_visible()

    visit(page, "/")
    expect(_section(page)).to_contain_text(re.compile("Not personalised|same for everyone"))
    expect(_section(page)).not_to_contain_text("Picked from what you bought")
    plain = _cards(page)
    assert plain, "the non-profiled feed is empty"
    for href, reason in plain:
        assert NOT_PERSONAL_REASON.match(reason), f"{href}: {reason!r} in the non-profiled feed"
    shot(page, "recommendations-not-personal")

    # And back: the buyer's choice is theirs to undo.
    visit(page, "/recommendations/")
    _press(page, page.get_by_role("main"), "Turn on personal recommendations")
    visit(page, "/")
    expect(_section(page)).to_contain_text("Picked from what you bought")
