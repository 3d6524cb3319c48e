"""Both revision loops walked in a real (headless) Chromium, each role logged in as itself.

Loop A: the technical agency records "rekomendasi tidak disetujui, perlu revisi",
backoffice returns the file with a "catatan untuk pemohon", the applicant ticks the
declaration under Permohonan Izin > Revisi and clicks "Submit Perbaiki": the file is back
at the agency. Loop B: kabid returns the file, the applicant gets an e-mail, Monitoring
Izin shows "revisi (pemohon)", "Simpan Revisi" brings it back to validasi kabid. Each
role has its own browser context and logs in through /masuk/.
"""

import datetime as dt
import itertools
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from permits.models import Agency, AgencyMembership, PermitApplication, PermitType, RequiredDocument
from permits.services import permit_apply, permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role
from surveys.models import Service

from .chromium import follow, routine_screenshot

PASSWORD = "Samarinda-uji-2025"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def login(browser, live_server, user):
    chromium, pages = browser
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    pages[user.username] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill(user.username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))
    return page


SECONDS = re.compile(r"^(?:(\d+) hari )?(\d{2}):(\d{2}):(\d{2})$")


def seconds(text: str) -> int:
    text = text.strip()
    if not text:
        return 0
    days, hours, minutes, secs = SECONDS.match(text).groups()
    return int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + int(secs)


def check_totals(page):
    """On the file page: the rows add up to the footer, and durations + offtime = total."""
    rows = page.locator("table.permit-log tbody tr")
    durations = offtimes = 0
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        durations += seconds(cells.nth(4).inner_text())
        offtimes += seconds(cells.nth(5).inner_text())
    foot = page.locator("table.permit-log tfoot tr")
    sum_duration = seconds(foot.nth(0).locator("td").nth(0).inner_text())
    sum_offtime = seconds(foot.nth(0).locator("td").nth(1).inner_text())
    total = seconds(foot.nth(1).locator("td").inner_text())
    assert (durations, offtimes) == (sum_duration, sum_offtime)
    assert sum_duration + sum_offtime == total
    return sum_duration, sum_offtime, total


def act(page, button, note=""):
    if note:
        page.get_by_label(re.compile("^Catatan")).fill(note)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _mail_task_runs_at_commit(settings):
    # Mail goes through a task (skm_portal.mail); here it runs when the request commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_both_revision_loops(live_server, browser, make_user, tmp_path):
    service = Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")
    bpn = Agency.objects.create(name="Badan Pertanahan", short_name="BPN")
    kind = PermitType.objects.create(
        name="Izin Pengambilan dan Pemanfaatan Air Tanah",
        code="air-tanah",
        service_days=10,
        agency=bpn,
        survey_service=service,
    )
    ktp = RequiredDocument.objects.create(permit_type=kind, name="KTP Pemohon", order=1)
    peta = RequiredDocument.objects.create(permit_type=kind, name="Peta Lokasi Sumur", order=2)
    users = {
        role: make_user(role, username=name, password=PASSWORD)
        for role, name in [
            (Role.PEMOHON, "pemohon"),
            (Role.BACKOFFICE, "backoffice"),
            (Role.DINAS_TEKNIS, "dinasteknis"),
            (Role.KASI, "kasi"),
            (Role.KABID, "kabid"),
        ]
    }
    applicant = users[Role.PEMOHON]
    applicant.first_name, applicant.last_name, applicant.email = "Test", "Dev", "pemohon@example.com"
    applicant.save()
    AgencyMembership.objects.create(user=users[Role.DINAS_TEKNIS], agency=bpn)

    # Registered and verified a few minutes ago; now waiting at the agency.
    start = timezone.now() - dt.timedelta(minutes=30)
    permit = permit_apply(
        applicant=applicant,
        permit_type=kind,
        documents={doc.pk: SimpleUploadedFile(f"{doc.pk}.pdf", PDF) for doc in (ktp, peta)},
        declaration=True,
        now=start,
        notify=False,
    )
    permit = permit_transition(
        permit=permit,
        action=Action.VERIFY_REGISTRATION,
        actor=users[Role.BACKOFFICE],
        now=start + dt.timedelta(minutes=7),
    )
    permit = permit_transition(
        permit=permit,
        action=Action.FORWARD_TO_AGENCY,
        actor=users[Role.BACKOFFICE],
        now=start + dt.timedelta(minutes=20),
    )
    file_url = live_server.url + reverse("permits:detail", args=[permit.pk])

    # --- Loop A ----------------------------------------------------------------------
    agency = login(browser, live_server, users[Role.DINAS_TEKNIS])
    agency.get_by_role("link", name="Perizinan").click()  # -> Antrian Kerja
    follow(agency.get_by_role("link", name=permit.number))
    act(agency, "Rekomendasi tidak disetujui, perlu revisi", "Rekomendasi tidak disetujui: peta tanpa koordinat.")
    assert agency.locator(".alert-success").inner_text().endswith("«proses (backoffice): revisi dinas teknis».")

    backoffice = login(browser, live_server, users[Role.BACKOFFICE])
    backoffice.goto(file_url)
    assert "Rekomendasi tidak disetujui: peta tanpa koordinat." in backoffice.locator(".alert-info").inner_text()
    act(backoffice, "Kembalikan ke pemohon untuk revisi", "Silahkan lengkapi peta lokasi sumur dengan koordinat.")
    assert "revisi (pemohon)" in backoffice.locator(".permit-summary").inner_text()
    assert [m.to for m in mail.outbox] == [["pemohon@example.com"]]

    pemohon = login(browser, live_server, applicant)
    pemohon.goto(live_server.url + reverse("permits:index"))
    follow(pemohon.get_by_role("link", name="Permohonan Izin › Revisi"))
    row = pemohon.locator("tr", has_text=permit.number)
    assert "Silahkan lengkapi peta lokasi sumur dengan koordinat." in row.inner_text()
    row.get_by_role("link", name="Revisi Berkas Permohonan").click()
    new_map = tmp_path / "peta-dengan-koordinat.pdf"
    new_map.write_bytes(PDF)
    pemohon.get_by_label("Peta Lokasi Sumur").set_input_files(str(new_map))
    # Without the declaration nothing is sent and the form says why.
    follow(pemohon.get_by_role("button", name="Submit Perbaiki"))
    assert "Centang pernyataan kebenaran data" in pemohon.content()
    pemohon.get_by_label(re.compile("^Dengan ini saya menyatakan")).check()
    pemohon.get_by_label("Peta Lokasi Sumur").set_input_files(str(new_map))
    follow(pemohon.get_by_role("button", name="Submit Perbaiki"))
    pemohon.wait_for_url(file_url)
    assert "pertimbangan dinas teknis (Badan Pertanahan)" in pemohon.locator(".permit-summary").inner_text()
    assert "peta-dengan-koordinat.pdf" in pemohon.content()

    permit.refresh_from_db()
    assert (permit.step, permit.revision_rounds) == (Step.PERTIMBANGAN_DINAS_TEKNIS, 1)
    log = list(permit.log.order_by("at", "pk"))
    assert [(e.step, e.user.username) for e in log] == [
        (Step.PENDAFTARAN, "pemohon"),
        (Step.VERIFIKASI_PENDAFTARAN, "backoffice"),
        (Step.VERIFIKASI_IZIN, "backoffice"),
        (Step.PERTIMBANGAN_DINAS_TEKNIS, "dinasteknis"),
        (Step.BACKOFFICE_REVISI_DINAS, "backoffice"),
        (Step.REVISI, "pemohon"),
    ]
    assert log[3].note == "Rekomendasi tidak disetujui: peta tanpa koordinat."
    assert log[4].note == "Silahkan lengkapi peta lokasi sumur dengan koordinat."
    assert log[5].offtime > dt.timedelta(0) and log[5].duration == dt.timedelta(0)
    duration, offtime, total = check_totals(pemohon)
    assert offtime == int(log[5].offtime.total_seconds())
    assert duration >= int(sum((e.duration for e in log), dt.timedelta()).total_seconds())

    # --- on to kabid, through the screens of each officer -------------------------------
    agency.goto(file_url)
    act(agency, "Rekomendasi disetujui")
    backoffice.goto(file_url)
    act(backoffice, "Teruskan ke validasi kasi")
    kasi = login(browser, live_server, users[Role.KASI])
    kasi.goto(file_url)
    act(kasi, "Validasi, teruskan ke kabid")

    # --- Loop B ----------------------------------------------------------------------
    kabid = login(browser, live_server, users[Role.KABID])
    kabid.goto(live_server.url + reverse("permits:queue"))
    kabid.get_by_role("link", name=permit.number).click()
    act(kabid, "Kembalikan ke pemohon untuk revisi", "Lampirkan NIB terbaru.")
    assert len(mail.outbox) == 2
    returned = mail.outbox[-1]
    assert returned.to == ["pemohon@example.com"] and "Lampirkan NIB terbaru." in returned.body
    assert permit.number in returned.subject

    follow(pemohon.get_by_role("link", name="Monitoring Izin"))
    assert "revisi (pemohon)" in pemohon.locator("tr", has_text=permit.number).inner_text()
    follow(pemohon.get_by_role("link", name="Permohonan Izin › Revisi"))
    follow(pemohon.locator("tr", has_text=permit.number).get_by_role("link", name="Revisi Berkas Permohonan"))
    assert pemohon.get_by_role("button", name="Submit Perbaiki").count() == 0
    pemohon.get_by_label(re.compile("^Dengan ini saya menyatakan")).check()
    # Nothing replaced and nothing explained: refused, with the reason.
    follow(pemohon.get_by_role("button", name="Simpan Revisi"))
    assert "Ganti sekurang-kurangnya satu dokumen" in pemohon.content()
    pemohon.get_by_label(re.compile("^Dengan ini saya menyatakan")).check()
    pemohon.get_by_label("Penjelasan bila tidak ada dokumen yang diganti").fill("NIB terbaru ada di halaman 2.")
    follow(pemohon.get_by_role("button", name="Simpan Revisi"))
    pemohon.wait_for_url(file_url)
    assert "validasi kabid" in pemohon.locator(".permit-summary").inner_text()
    assert len(mail.outbox) == 2  # the applicant's own resubmission sends nothing

    permit = PermitApplication.objects.get(pk=permit.pk)
    assert (permit.step, permit.revision_rounds) == (Step.VALIDASI_KABID, 2)
    log = list(permit.log.order_by("at", "pk"))
    assert [(e.step, e.user.username) for e in log[6:]] == [
        (Step.PERTIMBANGAN_DINAS_TEKNIS, "dinasteknis"),
        (Step.PROSES_BACKOFFICE, "backoffice"),
        (Step.VALIDASI_KASI, "kasi"),
        (Step.VALIDASI_KABID, "kabid"),
        (Step.REVISI, "pemohon"),
    ]
    assert log[9].note == "Lampirkan NIB terbaru."
    # The rows of the log cover the file's life without gaps: entry i starts where i-1 ended.
    assert all(later.started_at == earlier.at for earlier, later in itertools.pairwise(log))
    kabid.goto(file_url)
    duration, offtime, total = check_totals(kabid)
    assert total == duration + offtime and duration > 0
    assert offtime == int((log[5].offtime + log[10].offtime).total_seconds())
    table = kabid.locator("table.permit-log tbody").inner_text()
    assert "Lampirkan NIB terbaru." in table and "pertimbangan dinas teknis (Badan Pertanahan)" in table
    routine_screenshot(kabid, "permit-loops-file")
