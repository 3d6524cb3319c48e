"""How the browser tests start Debian's Chromium (its headless shell), and where their screenshots go.

One Chromium serves the browser tests that run one after another in a test process
(conftest.py: `browser`); each test opens its own contexts (cookies, storage, service
workers apart) and they are closed when it ends. Playwright's sync API keeps an event loop
running in the test's thread while Chromium is open, so Chromium is closed before any test
from outside this folder runs (asyncio.run() there would refuse to start).

Screenshots go to test-artifacts/. A test that fails always leaves one of every page it
opened (`screenshot`, always taken). The pictures the tests take along the way for a person
to look at the pages (`routine_screenshot`: nothing checks them, and a full-page PNG costs up
to a second) are taken only when asked for: `SKM_SCREENSHOTS=1 make test`.
"""

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What axe-core checks on every page a browser test looks at: WCAG 2.1 A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Debian's chromium-headless-shell (make browser installs it): Chromium's old headless mode, the
# same Blink and V8 as the full /usr/bin/chromium, which since Chromium 132 runs headless as the
# whole browser without a window. Measured on two cores, the browser tests took 182 s and 348 s of
# CPU with the full browser and 105 s and 187 s with the shell. CHROMIUM=/usr/bin/chromium runs
# them in the full browser.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
# As root, in a closed network: no sandbox, no background connections to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


# A phone as the respondents and attendees hold one (390 x 844 CSS px, touch, Indonesian).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}


class Motionless:
    """The shared Chromium, whose new contexts prefer reduced motion unless a test says otherwise.

    Bootstrap scrolls smoothly for everyone else (`:root { scroll-behavior: smooth }`), and
    Playwright waits for an element it scrolled to to stop moving before it clicks: up to a
    second per click, and a tap aimed while the page still moves can miss. No test here is
    about motion; Chromium's --force-prefers-reduced-motion switch does not reach the pages."""

    def __init__(self, chromium):
        self._chromium = chromium

    def new_context(self, **options):
        return self._chromium.new_context(**{"reduced_motion": "reduce", **options})

    def __getattr__(self, name):
        return getattr(self._chromium, name)


def launch(playwright):
    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with one.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshots_wanted() -> bool:
    return os.environ.get("SKM_SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """A picture of `page` as test-artifacts/`name`.png, always (a failure, a problem found)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def routine_screenshot(page, name: str, *, full_page: bool = True) -> None:
    """A picture for a person to look at, taken only with SKM_SCREENSHOTS=1."""
    if screenshots_wanted():
        screenshot(page, name, full_page=full_page)


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it is now, one line each (rule, its
    help, up to three elements). axe-core (from node_modules) is evaluated into the page, which a
    Content-Security-Policy would refuse unless the context bypasses it (bypass_csp=True), and
    asked for violations only (what passed is not collected)."""
    page.evaluate(_axe_source())  # quicker than a <script> tag of its 550 KB
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        WCAG_TAGS,
    )
    return [f"{v['id']} ({v['help']}) at {v['nodes']}" for v in found]


def follow(target) -> None:
    """Click `target`, a link or a form's button, and wait until the page it opens has loaded.
    Playwright's click waits only until that page starts loading: what a test reads straight
    after (rows counted, texts listed) may be half of it, or none (the monitoring search found
    no rows once, under load). A click that opens no page returns as soon as it is done."""
    target.click()
    target.page.wait_for_load_state()


def off_the_loop(function, *args, **kwargs):
    """Run `function` in a worker thread and return its result (or raise its exception).

    pyHanko signs and validates through asyncio.run(), which refuses to start inside the
    event loop Playwright's sync API keeps running in the test's own thread.
    """

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            from django.db import connections

            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
