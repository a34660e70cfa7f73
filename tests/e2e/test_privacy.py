"""Issue 8, a buyer's rights in a real browser: a new buyer accepts the consent banner, then on
the privacy page downloads all their data as JSON (and reads it as a page), withdraws consent
to personalisation, and erases the account; signing in again with the same email and password
then fails. Every page passes axe-core."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import ContextFactory, axe_check, visit

pytestmark = pytest.mark.e2e


def _register(page: Page, email: str, password: str) -> None:
    visit(page, "/accounts/register/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("load")
    axe_check(page)
    expect(page.get_by_role("link", name="My orders")).to_be_visible()


def test_a_buyer_exports_withdraws_consent_and_erases_the_account(
    desktop: ContextFactory,
) -> None:
    email = f"rights.{secrets.token_hex(4)}@example.com"
    password = "Erase-Me-" + secrets.token_hex(4)
    page = desktop().new_page()
    _register(page, email, password)
    banner = page.locator(".consent-banner")
    if banner.count():
        banner.get_by_role("button", name="Accept all").click()
        expect(page.locator(".consent-banner")).to_have_count(0)

    visit(page, "/privacy/")
    axe_check(page)
    expect(page.get_by_label("Personalisation")).to_be_checked()

    # Export: one click gives the JSON file with the account in it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"agora-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["Account"]["email"] == email
    assert any(r["purpose"] == "personalisation" and r["granted"] for r in data["Consent"])
    readable = page.get_by_role("link", name="Read it as a page").get_attribute("href")
    visit(page, readable or "")
    expect(page.get_by_role("heading", name="Your data at Agora")).to_be_visible()
    expect(page.get_by_text(email).first).to_be_visible()
    axe_check(page)

    # Withdrawing is as easy as giving: untick, save.
    visit(page, "/privacy/")
    page.get_by_label("Personalisation").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your privacy choices are saved.")).to_be_visible()
    expect(page.get_by_label("Personalisation")).not_to_be_checked()
    history = page.get_by_role("table")
    expect(history.get_by_role("row").filter(has_text="personalisation").first).to_contain_text(
        "withdrawn"
    )

    # Erase: the password and the tick, then the account is gone.
    page.get_by_label("Your password").fill(password)
    page.get_by_label("I want my account and personal data erased").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_role("heading", name="Your account is erased")).to_be_visible()
    axe_check(page)

    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name="My orders")).to_have_count(0)
