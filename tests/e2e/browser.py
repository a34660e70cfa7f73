"""What every browser test does on a page: check it with axe-core, take screenshots at phone and
desktop width, and move by keyboard with the focus in sight.

A browser context remembers the pages it loaded and the ones axe checked; the context fixtures
(``conftest.py``) fail a test that loaded a page without checking it, so "axe on every page
visited" cannot be forgotten by one test.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).with_name("screenshots")
AXE = REPO / "agora" / "static" / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
BLOCKING_IMPACTS = ("serious", "critical")
ContextFactory = Callable[[], BrowserContext]


# --- which pages were checked ------------------------------------------------------------------


@dataclass
class Visits:
    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def unchecked(self) -> list[str]:
        return [url for url in dict.fromkeys(self.loaded) if url not in self.checked]


_VISITS: dict[int, Visits] = {}


def visits(context: BrowserContext) -> Visits:
    return _VISITS.setdefault(id(context), Visits())


def forget(context: BrowserContext) -> Visits:
    return _VISITS.pop(id(context), Visits())


def track(context: BrowserContext, server_url: str) -> None:
    """Records every page the context's tabs load from the server (redirects end on the page
    shown; htmx history pushes count as pages too, since their content changed)."""
    record = visits(context)

    def on_page(page: Page) -> None:
        def navigated(frame: Any) -> None:
            if frame == page.main_frame and frame.url.startswith(server_url):
                record.loaded.append(frame.url)

        page.on("framenavigated", navigated)

    context.on("page", on_page)


@contextlib.contextmanager
def contexts(browser: Browser, server_url: str, **options: Any) -> Iterator[ContextFactory]:
    """Opens browser contexts on demand (each its own cookie jar: one person); on leaving, fails
    if any page loaded in them was never checked with axe."""
    opened: list[BrowserContext] = []

    def open_context() -> BrowserContext:
        context = browser.new_context(base_url=server_url, locale="en-GB", **options)
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(30_000)
        track(context, server_url)
        opened.append(context)
        return context

    try:
        yield open_context
    finally:
        unchecked: list[str] = []
        for context in opened:
            unchecked += forget(context).unchecked()
            context.close()
    assert not unchecked, f"pages loaded but never checked with axe: {unchecked}"


# --- axe-core ----------------------------------------------------------------------------------


def _describe(violations: list[dict[str, Any]]) -> str:
    parts = []
    for v in violations:
        nodes = []
        for n in v["nodes"][:6]:
            target = " ".join(str(t) for t in n.get("target", []))
            nodes.append(
                f"      {target}\n        {n.get('html', '')[:240]}\n"
                f"        {n.get('failureSummary', '')}".replace("\n  Fix", "\n        Fix")
            )
        more = f"\n      … and {len(v['nodes']) - 6} more" if len(v["nodes"]) > 6 else ""
        parts.append(
            f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n" + "\n".join(nodes) + more
        )
    return "\n".join(parts)


_FINDINGS: list[str] = []


def axe_check(page: Page) -> None:
    """Runs axe-core (agora/static/vendor/axe.min.js, from npm) on the page as it is now.
    Serious and critical violations are recorded with the rule, its help and the nodes; the
    test fails on them when it ends (:func:`take_findings`), after walking the whole journey, so
    one run reports every page's problems rather than the first."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # By URL, not inline: the pages' Content-Security-Policy refuses inline scripts.
        page.add_script_tag(url="/static/vendor/axe.min.js")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    visits(page.context).checked.add(page.url)
    if blocking:
        width = (page.viewport_size or {}).get("width")
        _FINDINGS.append(f"{page.url} at {width} px wide:\n{_describe(blocking)}")


OVERFLOW = """() => {
    const vw = document.documentElement.clientWidth;
    const wide = document.documentElement.scrollWidth;
    if (wide <= vw) return null;
    const scrolls = el => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const ownText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (scrolls(el)) continue;
        const r = el.getBoundingClientRect();
        const parent = el.parentElement;
        const boxOut = r.width > 0 && r.right > vw + 1;
        // Words too long to wrap stick out of a box that itself fits.
        const textOut = !boxOut && ownText(el) && el.scrollWidth > el.clientWidth + 1
            && r.left + el.scrollWidth > vw + 1;
        if (!boxOut && !textOut) continue;
        if (boxOut && parent && parent !== document.body
            && parent.getBoundingClientRect().right > vw + 1) continue;
        const reach = Math.round(boxOut ? r.right : r.left + el.scrollWidth);
        culprits.push(name(el) + ' "' + (el.innerText || '').trim().slice(0, 40)
            + '" reaches ' + reach + ' px');
        if (culprits.length === 6) break;
    }
    return {wide, vw, culprits};
}"""


def reflow_check(page: Page) -> None:
    """At phone width nothing may stick out sideways (WCAG 1.4.10 Reflow: no horizontal
    scrolling at 320 CSS px); records the outermost elements that do, like an axe finding."""
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        culprits = "\n".join(f"      {c}" for c in overflow["culprits"])
        _FINDINGS.append(
            f"{page.url} at {overflow['vw']} px wide:\n  [reflow] the page is {overflow['wide']}"
            f" px wide, so a phone must scroll sideways (WCAG 1.4.10):\n{culprits}"
        )


def take_findings() -> list[str]:
    """The axe findings recorded since the last call (and forgets them)."""
    found = list(dict.fromkeys(_FINDINGS))
    _FINDINGS.clear()
    return found


def visit(page: Page, path: str) -> None:
    """Goes to ``path`` on the server and checks the page with axe."""
    response = page.goto(path)
    status = response.status if response is not None else None
    assert response is not None and response.ok, f"GET {path} answered {status}"
    axe_check(page)


def shot(page: Page, name: str) -> None:
    """The whole page at desktop and at phone width (the viewport is resized, then put back) in
    tests/e2e/screenshots/<name>-desktop.png and <name>-phone.png; axe checks both layouts, as
    one width can hide or overlap what the other shows, and the phone layout must not scroll
    sideways."""
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size or DESKTOP
    try:
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.wait_for_timeout(200)  # the layout settles after the resize
            axe_check(page)
            if label == "phone":
                reflow_check(page)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    finally:
        page.set_viewport_size(original)


# --- the keyboard ------------------------------------------------------------------------------


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.getAttribute('aria-label') || el.innerText || el.value || el.name || '')
            .trim().slice(0, 50),
        focusVisible: el.matches(':focus-visible'),
        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
        shadow: s.boxShadow !== 'none',
    };
}"""


def assert_focus_visible(page: Page) -> None:
    """The focused element shows that it has the focus: it matches ``:focus-visible`` and
    draws an outline or a box shadow."""
    style = page.evaluate(FOCUS_STYLE)
    assert style["focusVisible"] and (style["outline"] or style["shadow"]), (
        f"on {page.url} the focus is not visible on <{style['tag']}> {style['text']!r}: {style}"
    )


def tab_to(page: Page, target: Locator, *, limit: int = 150) -> None:
    """Presses Tab until ``target`` has the focus, checking at every stop that the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement !== document.body"):
            assert_focus_visible(page)
        if is_focused(target):
            return
    raise AssertionError(f"Tab never reached {target} on {page.url} ({limit} presses)")


# --- reading pages -----------------------------------------------------------------------------


def amount_of(text: str) -> str:
    """The number in a formatted price, without grouping: ``CN¥1,234.50`` → ``1234.50``."""
    match = re.search(r"\d[\d,.]*", text)
    assert match, f"no amount in {text!r}"
    return match.group(0).replace(",", "")
