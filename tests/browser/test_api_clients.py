"""The administrator's API client page and a results page with margins, at 360 px: axe-core clean, no sideways scroll."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .chromium import axe_violations, follow
from .test_accessibility_crawl import HEIGHT, WIDTH


def check(page) -> list[str]:
    violations = axe_violations(page)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return violations + ([f"{width[0]} px wide"] if width[0] > width[1] else [])


@pytest.mark.django_db(transaction=True)
def test_issue_a_key_on_a_phone(live_server, browser, make_user, survey_demo):
    from skm_portal.roles import Role
    from surveys.models import Period

    make_user(Role.ADMINISTRATOR, username="admin_hp", password="rahasia-hp-123")
    make_user(Role.PETUGAS_SKM, username="petugas_hp", password="rahasia-hp-123")
    chromium, pages = browser
    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", bypass_csp=True)
    page = pages["admin"] = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "admin_hp")
    page.fill("input[name=password]", "rahasia-hp-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("api_clients"))
    assert check(page) == []
    page.fill("input[name=name]", "SiCantik Kaltim")
    follow(page.locator("main form button[type=submit]"))
    page.wait_for_load_state()
    assert page.locator("#issued-key").inner_text().startswith("skm_")
    assert check(page) == []
    context.close()

    context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID", bypass_csp=True)
    page = pages["petugas"] = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "petugas_hp")
    page.fill("input[name=password]", "rahasia-hp-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    period = Period.objects.get(name="Triwulan III 2025")
    page.goto(live_server.url + reverse("surveys:period_results", args=[period.pk]))
    assert page.locator("[data-margin]").count() > 0
    assert check(page) == []
    context.close()
