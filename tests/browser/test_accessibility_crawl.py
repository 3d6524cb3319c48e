"""Every page each demo login reaches, at 360 px: WCAG 2.1 A/AA by axe-core, no sideways scroll.

The demo is loaded once; for each demo login (and anonymously), the most privileged first,
a phone-sized Chromium signs in and follows same-site links breadth-first from the dashboard
(or home page): never logout, downloads, the Django admin or links that would change data,
and one URL per path pattern (numbers folded), up to a cap per role. Every page visited must
be no wider than the screen. axe-core (from node_modules, injected by the test, so the CSP is
bypassed for the test only) checks the tags wcag2a, wcag2aa, wcag21a and wcag21aa on each
page kind once (the first, most privileged login that reaches it sees its fullest variant)
and on every login's start page, where that login's own menu shows.
"""

from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from .chromium import axe_violations, follow, off_the_loop, screenshot

WIDTH, HEIGHT = 360, 740
CAP_PER_ROLE = 30
# Never followed: signing out, the Django admin (not the app's own pages), downloads.
SKIP = re.compile(
    r"/keluar|/logout|/admin/|\.(pdf|xlsx|csv|png|svg|jpg)$|/unduh|/ekspor/|/dokumen/|/bukti/\d+/$|/pindaian/\d+/$"
)
# Links whose GET would be harmless but whose purpose is a change: their confirmation pages are
# covered once (by the first role that meets them), not per role.
ONCE = re.compile(r"/hapus/$")


def pattern(path: str) -> str:
    """One URL per page kind: ids, tokens and the slug of an edit/delete page folded."""
    path = re.sub(r"/[^/]+/(ubah|hapus)/$", r"/X/\1/", path)
    return re.sub(r"/\d+/", "/N/", re.sub(r"/[0-9a-f]{16,}/", "/T/", path))


def crawl(page, base: str, start: str, cap: int, seen_once: set[str], checked: set[str]) -> tuple[int, list[str]]:
    """Visit up to `cap` pages from `start`; return how many, and the problems found, one line each.

    Every page visited is measured for width and followed for links; axe-core checks each
    page kind once per test (`checked`: the first, most privileged login that reaches it sees
    the fullest variant), and every login's start page, where its own menu shows."""
    problems: list[str] = []
    queue, seen = deque([start]), {pattern(start)}
    visited = 0
    while queue and visited < cap:
        path = queue.popleft()
        response = page.goto(base + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        if response.status >= 400:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        result = []
        if path == start or pattern(path) not in checked:
            checked.add(pattern(path))
            result = axe_violations(page)
        problems += [f"{path}: {violation}" for violation in result]
        # One round trip for the page's width and its links.
        width, links = page.evaluate(
            "() => [[document.documentElement.scrollWidth, window.innerWidth],"
            " [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))]"
        )
        if width[0] > width[1]:
            wide = page.evaluate(
                "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
                " window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className)"
            )
            problems.append(f"{path}: {width[0]} px wide on a {width[1]} px screen ({wide})")
        if result or width[0] > width[1]:
            screenshot(page, "crawl" + re.sub(r"\W+", "-", path))
        for href in links:
            url = urldefrag(urljoin(base + path, href)).url
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != base or parts.query or SKIP.search(parts.path):
                continue
            key = pattern(parts.path)
            if key in seen or (ONCE.search(parts.path) and key in seen_once):
                continue
            seen.add(key)
            if ONCE.search(parts.path):
                seen_once.add(key)
            queue.append(parts.path)
    return visited, problems


# Every demo login (skm_portal.demo.USERS) and the anonymous visitor, the most privileged first:
# a page kind is checked by axe-core for the first login that reaches it. (Three groups, each
# loading the demo and checking its page kinds again, cost three times the axe-core runs and
# demo loads for pages already checked.)
LOGINS = ["admin", "kadis", "kabid", "kasi", "petugas", "backoffice", "dinasteknis", "pemohon", None]


def test_the_crawl_holds_every_demo_login_once():
    from skm_portal import demo as portal_demo

    assert sorted(LOGINS, key=str) == sorted(
        [username for username, _role, _name in portal_demo.USERS] + [None], key=str
    )


@pytest.mark.fresh_report_parts  # its stand-in parts must not reach the other tests
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_demo_login_is_accessible_and_fits_a_phone(
    live_server, browser, one_page_report_pdfs, settings
):
    from reports.models import Report
    from skm_portal import demo as portal_demo

    # As `make run`: the demo signs its report and the seed's invitation (certificate made by
    # load_demo, in the test's own folder: tests/conftest.py), so the signed versions' pages
    # are there to crawl. Off Playwright's event loop: pyHanko signs through asyncio.run().
    settings.REPORT_SIGNING_PASSPHRASE = ""
    settings.SITE_URL, settings.DEBUG = live_server.url, True
    out = io.StringIO()
    off_the_loop(call_command, "load_demo", stdout=out)
    assert "tidak ditandatangani" not in out.getvalue(), out.getvalue()
    assert Report.objects.get(kind=Report.Kind.FOLLOWUP, year=2024).versions.exists()
    passwords = {username: password for username, password, _role in portal_demo.load()}
    chromium, pages = browser
    problems: list[str] = []
    seen_once: set[str] = set()
    checked: set[str] = set()
    for username in LOGINS:
        password = passwords.get(username)
        context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", bypass_csp=True)
        page = context.new_page()
        pages[username or "anonim"] = page
        start = reverse("home")
        if username:
            page.goto(live_server.url + reverse("login"))
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            follow(page.locator("main form button[type=submit]"))
            page.wait_for_load_state()
            assert "/masuk/" not in page.url, f"{username} could not sign in"
            start = reverse("dashboard")
        visited, found = crawl(page, live_server.url, start, CAP_PER_ROLE, seen_once, checked)
        # The crawl really walked: every login reaches several pages (the officers many).
        assert visited >= (5 if username in (None, "pemohon", "dinasteknis") else 10), (username, visited)
        problems += [f"[{username or 'anonim'}] {line}" for line in found]
        context.close()
        pages.pop(username or "anonim")
    assert not problems, "\n".join(problems)
