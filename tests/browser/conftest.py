from pathlib import Path

import pytest

from .chromium import CHROMIUM, Motionless, launch, screenshot

HERE = Path(__file__).parent


def in_this_folder(item) -> bool:
    return item is not None and HERE in Path(item.fspath).parents


def pytest_collection_modifyitems(items):
    # Every test in this folder drives Chromium: mark it, and skip it where there is none.
    missing = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}") if not Path(CHROMIUM).exists() else None
    for item in items:
        if in_this_folder(item):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(missing)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets a fixture see whether the test body failed (item.rep_call), e.g. to keep a screenshot.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# The Playwright driver and the Chromium the browser tests of this process share while they
# run one after another (launching both costs about a second per test).
_SHARED: dict = {}


def shared_chromium():
    chromium = _SHARED.get("chromium")
    if chromium is None or not chromium.is_connected():
        from playwright.sync_api import sync_playwright

        close_shared_chromium()
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["chromium"] = launch(_SHARED["playwright"])
    return _SHARED["chromium"]


def close_shared_chromium():
    chromium, playwright = _SHARED.pop("chromium", None), _SHARED.pop("playwright", None)
    try:
        if chromium is not None and chromium.is_connected():
            chromium.close()
    finally:
        if playwright is not None:
            playwright.stop()  # its event loop stops: asyncio.run() works again in this thread


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After the test's own fixtures are gone: keep Chromium for a next browser test only.
    try:
        return (yield)
    finally:
        if not in_this_folder(nextitem):
            close_shared_chromium()


@pytest.fixture
def browser(request):
    """(chromium, pages): every page opened is kept so a failure screenshots all of them.

    Chromium is shared with the browser tests before and after this one; the contexts this
    test opens are closed when it ends. They open with reduced motion (chromium.Motionless)."""
    chromium = Motionless(shared_chromium())
    pages = {}
    try:
        yield chromium, pages
    finally:
        try:
            report = getattr(request.node, "rep_call", None)
            if report is not None and report.failed:
                for name, page in pages.items():
                    if not page.is_closed():
                        screenshot(page, f"{request.node.name}-{name}-failure")
        finally:
            for context in list(chromium.contexts):
                context.close()


@pytest.fixture
def one_page_report_pdfs(monkeypatch):
    """The demo's report is built and signed as `load_demo` does it, its PDFs laid out from a
    one-page stand-in: for tests that never read the report's PDF, where laying out the whole
    report and its appendix would be most of their time. Every report page (the report, its
    drafts, its signed version) is there as with the real PDF. Mark such tests
    `fresh_report_parts`: the stand-in parts must not reach the other tests."""
    from reports import parts, rendering
    from skm_portal.pdf import render_document

    def stand_in(html: str):
        return render_document("<!doctype html><html lang='id'><title>Laporan</title><p>Laporan uji</p></html>")

    monkeypatch.setattr(rendering, "render_document", stand_in)
    monkeypatch.setattr(parts, "render_document", stand_in)
