from pathlib import Path

import pytest

from .chromium import CHROMIUM, launch, screenshot


def pytest_collection_modifyitems(items):
    # Every test in this folder drives Chromium: mark it, and skip it where there is none.
    missing = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}") if not Path(CHROMIUM).exists() else None
    for item in items:
        if Path(__file__).parent in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(missing)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets a fixture see whether the test body failed (item.rep_call), e.g. to keep a screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def browser(request):
    """(chromium, pages): every page opened is kept so a failure screenshots all of them."""
    from playwright.sync_api import sync_playwright

    pages = {}
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium, pages
        finally:
            report = getattr(request.node, "rep_call", None)
            if report is not None and report.failed:
                for name, page in pages.items():
                    screenshot(page, f"{request.node.name}-{name}-failure")
            chromium.close()
