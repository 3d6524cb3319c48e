"""How the browser tests start Debian's Chromium, and where their screenshots go.

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

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
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
