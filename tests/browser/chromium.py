"""How the browser tests start Debian's Chromium, and where their screenshots go.

One Chromium serves the browser tests that run one after another in a test process
(conftest.py: `browser`); each test opens its own contexts (cookies, storage, service
workers apart) and they are closed when it ends. Playwright's sync API keeps an event loop
running in the test's thread while Chromium is open, so Chromium is closed before any test
from outside this folder runs (asyncio.run() there would refuse to start).

Screenshots go to test-artifacts/. A test that fails always leaves one of every page it
opened. The pictures the tests take along the way, for a person to look at the pages
(nothing checks them; a full-page PNG costs up to a second), are taken only when asked for:
`SKM_SCREENSHOTS=1 make test`.
"""

import os
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


def launch(playwright):
    # Playwright's sync API runs an event loop; Django refuses ORM calls from a thread with one.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def screenshots_wanted() -> bool:
    return os.environ.get("SKM_SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str, *, full_page: bool = True, always: bool = False) -> None:
    """A picture of `page` as test-artifacts/`name`.png: with SKM_SCREENSHOTS=1, or `always` (failures)."""
    if not (always or screenshots_wanted()):
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
