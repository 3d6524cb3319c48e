"""The counter kiosk and the lobby board in a real Chromium.

An officer pairs a tablet; the tablet takes two answers while its network is cut, keeps
them across a reload, and sends them when the network is back: exactly two responses,
tagged kiosk and counter. The board shows the demo at 1920x1080 and picks up a new
response by itself, also after the network was away.
"""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from skm_portal.roles import Role
from surveys import kiosk
from surveys.kiosk_models import Counter
from surveys.models import Questionnaire, Response, Service
from surveys.services import response_submit

from .chromium import axe_violations, follow, routine_screenshot

PASSWORD = "Samarinda-uji-2025"
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 360, "height": 740}
# The officer-unlocked counter: answers faster than MIN_SECONDS are refused; the form resets
# after IDLE_SECONDS untouched (longer than the wait for MIN_SECONDS, so it never resets then).
# Both waits pass on clocks the test moves on (the tablet's and the server's), not for real.
MIN_SECONDS, IDLE_SECONDS = 20, 30
# static/js/kiosk.js: how long the thanks screen stays, how often a locked kiosk asks to be opened;
# the tests that fill the kiosk (answer()) install Playwright's clock on the tablet and move it on.
THANKS_MS, POLL_MS, RETRY_MS = 4000, 3000, 15000  # and how long a kiosk waits to send again
ADVANCE_MS = 250  # the pause after an answer before the next question shows


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def make_officer(user_model, username, role):
    user = user_model.objects.create_user(username=username, password=PASSWORD)
    user.groups.set([Group.objects.get(name=role.value)])
    return user


def officer_page(browser, live_server, username, viewport=None, bypass_csp=False):
    chromium, pages = browser
    viewport = viewport or {"width": 1280, "height": 900}
    page = chromium.new_context(locale="id-ID", viewport=viewport, bypass_csp=bypass_csp).new_page()
    pages[username] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))
    return page


def pair(chromium, live_server, counter, viewport, *, clock=False):
    context = chromium.new_context(locale="id-ID", viewport=viewport, has_touch=True)
    if clock:  # the tablet's timers on a clock the test may move on (it runs in real time until then)
        context.clock.install()
    page = context.new_page()
    device = kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
    page.goto(live_server.url + reverse("surveys:kiosk_home"))
    page.get_by_label("Kode pasangan dari petugas").fill(device.pairing_code)
    page.get_by_role("button", name="Pasangkan").click()
    page.locator(".kiosk-header").wait_for()
    return context, page


def move_on(page, server_clock, ms: int) -> None:
    """The tablet's clock and the server's (the server_clock fixture) move on by `ms` together."""
    page.clock.fast_forward(ms)
    server_clock["ms"] += ms


def answer(page, elements: int, min_seconds: int, *, server_clock, cut_before_sending=None, thanks=True):
    """Fill the kiosk one question per screen, as a respondent taps it.

    The answer is sent `min_seconds` later on the tablet's clock and the server's (`server_clock`)."""
    page.get_by_role("button", name="Mulai Survei").click()
    form = page.locator("#kiosk-form")
    form.wait_for(state="visible")
    for number in range(elements):
        step = form.locator(".kiosk-step").nth(number)
        step.locator(".survey-choice").nth(3 if number % 2 else 2).click()  # auto-advances
        move_on(page, server_clock, ADVANCE_MS)  # the pause before the next question
        form.locator(".kiosk-step").nth(number + 1).wait_for(state="visible")
    profile = form.locator(".kiosk-step:visible")
    profile.get_by_text("Perempuan").click()
    page.get_by_role("button", name="Lanjut").click()
    form.locator(".kiosk-step:visible").get_by_text("SMA", exact=True).click()
    form.locator(".kiosk-step:visible").get_by_text("Swasta").click()
    page.get_by_role("button", name="Lanjut").click()
    page.get_by_label("Saran dan masukan").fill("Antrean cepat.")
    if min_seconds:
        move_on(page, server_clock, min_seconds * 1000 + 300)
    if cut_before_sending:
        cut_before_sending()
    page.get_by_role("button", name="Kirim Jawaban").click()
    if thanks:
        page.get_by_text("Terima kasih atas penilaian Anda!").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_paired_kiosk_keeps_answers_offline_and_sends_each_once(
    live_server, browser, django_user_model, server_clock
):
    chromium, pages = browser
    service = Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")
    counter = kiosk.counter_save(actor=None, name="Loket 1", service=service, min_seconds=2, idle_seconds=120)
    make_officer(django_user_model, "petugas", Role.PETUGAS_SKM)
    elements = Questionnaire.active().elements.count()

    # The officer makes a code in the app.
    desk = officer_page(browser, live_server, "petugas")
    desk.goto(live_server.url + reverse("surveys:kiosk_counter", args=[counter.pk]))
    follow(desk.get_by_role("button", name="Buat kode pasangan"))
    code = desk.locator("td code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)

    # The tablet types it and shows the survey of the counter's service.
    context = chromium.new_context(locale="id-ID", viewport=TABLET, has_touch=True)
    context.clock.install()  # the tablet's timers on a clock the test moves on (real time until then)
    tablet = context.new_page()
    pages["tablet"] = tablet
    tablet.goto(live_server.url + reverse("surveys:kiosk_home"))
    tablet.get_by_label("Kode pasangan dari petugas").fill(code.lower())
    follow(tablet.get_by_role("button", name="Pasangkan"))
    tablet.get_by_text("Loket 1 · Perizinan dan Non Perizinan (e-PTSP)").wait_for()
    tablet.evaluate("navigator.serviceWorker.ready")
    tablet.wait_for_function("() => navigator.serviceWorker.controller !== null")
    # Start tokens for respondents who begin while the network is away.
    tablet.wait_for_function("() => JSON.parse(localStorage.getItem('skm-kiosk-spare') || '[]').length === 5")
    routine_screenshot(tablet, "kiosk-tablet-welcome")

    # First respondent: the form opened online, the network dropped before "Kirim".
    answer(tablet, elements, 2, server_clock=server_clock, cut_before_sending=lambda: context.set_offline(True))
    pending = tablet.locator("#kiosk-pending")
    assert pending.get_attribute("data-count") == "1"
    assert "tidak terhubung" in tablet.locator("#kiosk-network").inner_text().lower()
    # Second respondent, wholly offline (the spare start token), after the first left nothing behind.
    move_on(tablet, server_clock, THANKS_MS)
    tablet.get_by_role("button", name="Mulai Survei").wait_for()
    tablet.get_by_role("button", name="Mulai Survei").click()
    assert tablet.locator("#kiosk-form input:checked").count() == 0
    assert tablet.get_by_label("Saran dan masukan").input_value() == ""
    tablet.reload()  # a reload offline: the service worker's copy, the queue intact
    tablet.get_by_text("Loket 1 · Perizinan dan Non Perizinan (e-PTSP)").wait_for()
    tablet.wait_for_function("() => document.querySelector('#kiosk-pending').dataset.count === '1'")
    answer(tablet, elements, 2, server_clock=server_clock)
    tablet.wait_for_function("() => document.querySelector('#kiosk-pending').dataset.count === '2'")
    routine_screenshot(tablet, "kiosk-tablet-offline-waiting")
    assert "2 jawaban menunggu dikirim" in pending.inner_text()
    tablet.reload()
    tablet.wait_for_function("() => document.querySelector('#kiosk-pending').dataset.count === '2'")
    first, second = (
        e["client_id"] for e in tablet.evaluate("() => JSON.parse(localStorage.getItem('skm-kiosk-queue'))")
    )
    # The second respondent answered with no network at all: nothing of theirs reached the server.
    # The first one's POST may have left just before the cut took hold (the cut lands while the
    # request is under way, its answer lost): the tablet still holds it, as it must when it heard
    # nothing back, and the server takes it once (below).
    assert not Response.objects.filter(client_id=second).exists()
    assert set(Response.objects.values_list("client_id", flat=True)) <= {uuid.UUID(first)}

    context.set_offline(False)
    tablet.evaluate("window.dispatchEvent(new Event('online'))")
    tablet.wait_for_function("() => document.querySelector('#kiosk-pending').dataset.count === '0'", timeout=20_000)
    responses = list(Response.objects.all())
    assert len(responses) == 2
    assert {(r.channel, r.counter_id, r.service_id) for r in responses} == {("kiosk", counter.pk, service.pk)}
    assert len({r.client_id for r in responses}) == 2
    assert {r.suggestion for r in responses} == {"Antrean cepat."}

    # Unpairing from the app: the tablet is a pairing form again.
    desk.reload()
    desk.get_by_role("button", name="Lepas").click()
    tablet.reload()
    tablet.get_by_role("button", name="Pasangkan").wait_for()


@pytest.fixture
def server_clock(monkeypatch):
    """The server's clock for kiosk answers, ahead of real time by as much as the test moves it on."""
    import datetime as dt

    from django.utils import timezone

    from surveys.views import kiosk as kiosk_views

    ahead = {"ms": 0}
    submit = kiosk_views.kiosk_response_submit

    def on_the_test_clock(**kwargs):
        return submit(**kwargs, now=timezone.now() + dt.timedelta(milliseconds=ahead["ms"]))

    monkeypatch.setattr(kiosk_views, "kiosk_response_submit", on_the_test_clock)
    return ahead


@pytest.mark.django_db(transaction=True)
def test_the_counter_officer_opens_the_kiosk_for_each_respondent(live_server, browser, django_user_model, server_clock):
    chromium, pages = browser
    service = Service.objects.create(code="oss", name="Perizinan Berusaha Berbasis Risiko (OSS RBA)")
    counter = kiosk.counter_save(
        actor=None,
        name="Loket 2",
        service=service,
        min_seconds=MIN_SECONDS,
        idle_seconds=IDLE_SECONDS,
        unlock_mode="officer",
    )
    make_officer(django_user_model, "loket", Role.BACKOFFICE)
    elements = Questionnaire.active().elements.count()
    _context, tablet = pair(chromium, live_server, counter, TABLET, clock=True)
    pages["tablet"] = tablet
    tablet.get_by_text("Kiosk akan dibuka oleh petugas loket").wait_for()
    assert not tablet.get_by_role("button", name="Mulai Survei").is_visible()

    desk = officer_page(browser, live_server, "loket")
    desk.goto(live_server.url + reverse("surveys:kiosk_counter", args=[counter.pk]))
    desk.get_by_role("button", name="Buka kiosk untuk responden berikutnya").click()
    desk.get_by_text("Kiosk terbuka dan menunggu responden.").wait_for()
    move_on(tablet, server_clock, POLL_MS)  # the tablet's next question to the server: open now?

    # Too fast: the tablet itself says so and keeps the answers on screen.
    tablet.get_by_role("button", name="Mulai Survei").wait_for(timeout=10_000)
    answer_started = tablet.evaluate("() => performance.now()")
    answer(tablet, elements, 0, server_clock=server_clock, thanks=False)
    assert "Mohon baca pertanyaan dengan saksama" in tablet.locator("#form-error").inner_text()
    assert tablet.get_by_label("Saran dan masukan").input_value() == "Antrean cepat."
    assert Response.objects.count() == 0
    # The minimum time passes on the tablet's clock and on the server's (never the idle time).
    spent = tablet.evaluate("() => performance.now()") - answer_started
    assert spent < MIN_SECONDS * 1000, "the too-fast answer took longer than the minimum"
    move_on(tablet, server_clock, int(MIN_SECONDS * 1000 + 300 - spent))
    assert tablet.get_by_label("Saran dan masukan").input_value() == "Antrean cepat."  # no idle reset
    # The answer cannot reach the server for now, while the tablet's questions about the lock do:
    # the officer's unlock stays open for that answer, and the tablet does not take it as an
    # opening for the next respondent (whose answer the server would then refuse).
    submit_url = re.compile(r"/kirim/$")
    tablet.route(submit_url, lambda route: route.abort())
    tablet.get_by_role("button", name="Kirim Jawaban").click()
    tablet.get_by_text("Terima kasih atas penilaian Anda!").wait_for()
    locked = tablet.get_by_text("Kiosk akan dibuka oleh petugas loket")
    for wait in (THANKS_MS, POLL_MS):  # two questions answered "open" (a third is asked after the second)
        with tablet.expect_response(re.compile(r"/status/$"), timeout=10_000) as status:
            move_on(tablet, server_clock, wait)
        assert status.value.json()["unlocked"] is True
    locked.wait_for()
    assert not tablet.get_by_role("button", name="Mulai Survei").is_visible()
    assert tablet.locator("#kiosk-pending").get_attribute("data-count") == "1"
    assert Response.objects.count() == 0
    # Sent at the next try: it takes the unlock, and the kiosk stays locked for the next one.
    tablet.unroute(submit_url)
    move_on(tablet, server_clock, RETRY_MS)
    tablet.wait_for_function("() => document.querySelector('#kiosk-pending').dataset.count === '0'")  # sent
    assert Response.objects.filter(counter=counter, channel="kiosk").count() == 1
    with tablet.expect_response(re.compile(r"/status/$"), timeout=10_000) as status:
        move_on(tablet, server_clock, POLL_MS)
    assert status.value.json()["unlocked"] is False
    locked.wait_for()

    # Opened again, a respondent starts and walks away: after the idle time nothing is left.
    desk.reload()
    desk.get_by_role("button", name="Buka kiosk untuk responden berikutnya").click()
    desk.get_by_text("Kiosk terbuka dan menunggu responden.").wait_for()
    move_on(tablet, server_clock, POLL_MS)
    tablet.get_by_role("button", name="Mulai Survei").click()
    tablet.locator("#kiosk-form .survey-choice").first.click()
    # Just short of the idle time the answer is still there; at the idle time the form resets.
    # (The tablet's clock is moved on: the reset is the tablet's own timer.)
    tablet.clock.run_for(IDLE_SECONDS * 1000 - 1000)
    assert tablet.locator("#kiosk-form input:checked").count() == 1
    tablet.clock.run_for(1500)
    tablet.get_by_role("button", name="Mulai Survei").wait_for(timeout=20_000)
    assert tablet.locator("#kiosk-form input:checked").count() == 0
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_kiosk_pages_are_accessible_on_a_tablet_and_a_phone(live_server, browser, django_user_model):
    chromium, pages = browser
    service = Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")
    problems = []
    for name, size in (("tablet", TABLET), ("phone", PHONE)):
        for layout in Counter.Layout.values:
            counter = kiosk.counter_save(
                actor=None, name=f"Loket {name} {layout}", service=service, layout=layout, unlock_mode="ticket"
            )
            device = kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
            context = chromium.new_context(locale="id-ID", viewport=size, bypass_csp=True)
            page = context.new_page()
            pages[f"{name}-{layout}"] = page
            page.goto(live_server.url + reverse("surveys:kiosk_home"))
            if layout == Counter.Layout.values[0]:  # the pairing page knows no counter yet: once per screen
                problems += [f"pair {name}: {v}" for v in axe_violations(page)]
            page.get_by_label("Kode pasangan dari petugas").fill(device.pairing_code)
            page.get_by_role("button", name="Pasangkan").click()
            page.get_by_label("Nomor antrean Anda").fill("B-7")
            problems += [f"welcome {name} {layout}: {v}" for v in axe_violations(page)]
            page.get_by_role("button", name="Mulai Survei").click()
            page.locator("#kiosk-form").wait_for(state="visible")
            problems += [f"form {name} {layout}: {v}" for v in axe_violations(page)]
            if not fits(page):
                problems.append(f"form {name} {layout}: wider than the screen")
            routine_screenshot(page, f"kiosk-{name}-{layout}")
            context.close()
    make_officer(django_user_model, "petugas", Role.PETUGAS_SKM)
    desk = officer_page(browser, live_server, "petugas", viewport=PHONE, bypass_csp=True)
    counter = Counter.objects.first()
    kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
    for url in (reverse("surveys:kiosk_counters"), reverse("surveys:kiosk_counter", args=[counter.pk])):
        desk.goto(live_server.url + url)
        problems += [f"{url}: {v}" for v in axe_violations(desk)]
        if not fits(desk):
            problems.append(f"{url}: wider than the screen")
        routine_screenshot(desk, "kiosk-officer" + url.replace("/", "-"))
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_board_shows_the_demo_and_updates_by_itself(live_server, browser, settings):
    from followup import demo as followup_demo
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo

    settings.LOBBY_REFRESH_SECONDS = 1  # the default is 30: within a minute of a new response
    portal_demo.load()
    surveys_demo.load()
    followup_demo.load()
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    context.clock.install()  # the board's polls on a clock the test may move on (real time until then)
    board = context.new_page()
    pages["board"] = board
    board.goto(live_server.url + reverse("lobby:board"))
    assert board.locator("#board-ikm").inner_text()  # e.g. 88,12
    assert re.fullmatch(r"\d{2,3},\d{2}", board.locator("#board-ikm").inner_text())
    assert board.get_by_text("Anda bertanya, kami bertindak").is_visible()
    assert board.get_by_text("Evaluasi Standar Pelayanan dan Standar Operasional Prosedur").first.is_visible()
    assert board.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1"), "fits one screen"
    assert axe_violations(board) == []
    routine_screenshot(board, "lobby-board-1920")

    today = int(board.locator("#board-today").inner_text())
    service = Service.objects.filter(is_active=True).first()
    scores = {e.code: 4 for e in Questionnaire.active().elements.all()}
    context.set_offline(True)  # the network goes away for a few polls
    parts = live_server.url + reverse("lobby:board_parts")
    with board.expect_event("requestfailed", lambda request: request.url == parts) as failed:
        board.clock.run_for(2500)  # the polls of 2.5 s, at once: they fail
    assert failed.value.failure
    assert board.locator("#board-ikm").is_visible()  # the last figures stay up
    response_submit(questionnaire=Questionnaire.active(), service=service, scores=scores, sex="P")
    context.set_offline(False)
    board.wait_for_function(f"() => document.querySelector('#board-today').textContent.trim() === '{today + 1}'")

    page = context.new_page()
    pages["we_act"] = page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("lobby:we_act"))
    assert page.get_by_role("heading", name="Anda bertanya, kami bertindak").is_visible()
    assert axe_violations(page) == []
    assert fits(page)
    routine_screenshot(page, "lobby-we-act-360")
