"""Fixtures of the browser tests: a real ``agora serve`` on a fresh demo store, Debian's
Chromium driven by Playwright, and browser contexts at phone and desktop size.

The server runs once per session in a subprocess on a new SQLite database in a temporary
AGORA_DATA_DIR (``agora migrate``, ``agora demo``), as a new install would, so the tests see
what a buyer sees; they change the store only through its pages. The seller logins are the demo
store's own, read from the demo spec.

``make test-e2e`` runs them (and installs Chromium first where it can); ``make test`` leaves them
out (``-m "not e2e"`` in pyproject's addopts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from agora.demo.generate import DEFAULT_SEED, DemoSpec, build_spec
from tests.e2e.browser import DESKTOP, PHONE, ContextFactory, contexts, take_findings
from tests.e2e.server import AgoraServer, log_tail, running_store

CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
# Playwright's own browser download is not used: it drives the system Chromium, kept quiet (no
# component updates, sync or first-run pages reaching for the network in the middle of a test).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def agora_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgoraServer]:
    """The demo store on a fresh database, served for the whole session."""
    with running_store(tmp_path_factory.mktemp("agora-e2e")) as server:
        yield server


@pytest.fixture(scope="session")
def demo() -> DemoSpec:
    """What ``agora demo`` built (same seed): the sellers, their owners' logins, the products."""
    return build_spec(DEFAULT_SEED)


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test-e2e` installs Chromium where it can")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def desktop(browser: Browser, agora_server: AgoraServer) -> Iterator[ContextFactory]:
    """Opens desktop browser contexts (1366 by 900), one per person in the test."""
    with contexts(browser, agora_server.url, viewport=DESKTOP) as factory:
        yield factory


@pytest.fixture
def phone(browser: Browser, agora_server: AgoraServer) -> Iterator[ContextFactory]:
    """Opens phone browser contexts (390 by 844, touch, the page's mobile viewport rules)."""
    with contexts(browser, agora_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as f:
        yield f


@pytest.fixture(autouse=True)
def _axe_findings() -> Iterator[None]:
    """Fails the test, once it has run, on what axe-core (and the phone reflow check) found on
    the pages it visited, including those of a module fixture set up for it."""
    yield
    found = take_findings()
    if found:
        pytest.fail(
            f"serious or critical accessibility problems on {len(found)} page(s):\n\n"
            + "\n\n".join(found),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _server_log_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failing browser test shows the end of the server's log next to the browser's view."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and "agora_server" in request.fixturenames:
        server: AgoraServer = request.getfixturevalue("agora_server")
        print(f"--- end of {server.log} ---\n{log_tail(server.log, 80)}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
