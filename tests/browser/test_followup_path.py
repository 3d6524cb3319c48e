"""An officer's follow-up path in a real (headless) Chromium, without the admin site.

The petugas SKM logs in through /masuk/, goes from a period's results to its follow-up:
confirms the proposed priority elements, opens a plan, adds activities, creates a meeting
with its invitation and numbers the letter; an attendee checks in on a phone through the
QR link (no login) and draws a signature; the officer writes the minutes, records a
realisation step with an evidence file, marks the activity done and sees the plan's
progress band move.
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from followup.models import Activity, Attendee, Evidence, FollowUpPlan, Meeting
from skm_portal import demo as portal_demo
from surveys.models import Period, PublishedElementResult

from .chromium import PHONE, follow, routine_screenshot

NAMES = [
    "Persyaratan", "Prosedur", "Waktu Pelayanan", "Biaya/Tarif", "Produk Layanan", "Kompetensi Pelaksana",
    "Perilaku Pelaksana", "Sarana dan Prasarana", "Penanganan Pengaduan", "Transparansi Pelayanan",
    "Integritas Petugas Pelayanan",
]  # fmt: skip
# The seed's Tabel 2.1 (Semester I 2024) and 2.2 (Triwulan III 2024).
SEMESTER_I = ["94.79", "92.05", "85.87", "90.9", "89.14", "93.2", "95.67", "92.85", "96.82", "91.86", "93.02"]
TRIWULAN_III = ["94.72", "83.85", "81.52", "97.52", "85.56", "92.86", "93.79", "90.68", "96.59", "95.03", "96.59"]


def published_period(name, start, end, indices, respondents):
    period = Period.objects.create(
        name=name,
        kind=Period.Kind.TRIWULAN,
        start_date=start,
        end_date=end,
        source=Period.Source.PUBLISHED,
        published_respondents=respondents,
    )
    for order, (element, value) in enumerate(zip(NAMES, indices, strict=True), start=1):
        PublishedElementResult.objects.create(
            period=period, code=f"U{order}", name=element, index=Decimal(value), order=order
        )
    return period


def shot(page, name):
    routine_screenshot(page, f"followup-path-{name}")


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def draw_with_finger(context, page, canvas, strokes):
    """Real touch events (CDP), as a finger on a phone's screen: each stroke is a list of points in 0..1."""
    cdp = context.new_cdp_session(page)
    box = canvas.bounding_box()

    def at(x, y):
        return [{"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"], "id": 1}]

    for stroke in strokes:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": at(*stroke[0])})
        for point in stroke[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": at(*point)})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def success(page) -> str:
    return page.locator(".alert-success").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_officer_follow_up_path(live_server, browser, settings, tmp_path):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url  # the QR check-in link points at this server
    portal_demo.load()  # the office profile (letterhead, head of office) and the demo users
    published_period("Semester I 2024", dt.date(2024, 1, 1), dt.date(2024, 6, 30), SEMESTER_I, 283)
    period = published_period("Triwulan III 2024", dt.date(2024, 7, 1), dt.date(2024, 9, 30), TRIWULAN_III, 161)
    chromium, pages = browser
    visited = []

    # --- log in as the petugas SKM -----------------------------------------------------------
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.on("request", lambda r: visited.append(r.url))
    context.set_default_timeout(10_000)
    page = context.new_page()
    pages["petugas"] = page
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Sandi").fill(portal_demo.demo_password("petugas"))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/dasbor/$"))

    # --- from the period's results to its follow-up ------------------------------------------
    page.get_by_role("link", name="Olah Data SKM").click()
    follow(page.get_by_role("link", name="Triwulan III 2024"))
    assert "Hasil Survei Kepuasan Masyarakat (SKM)" in page.locator("h1").inner_text()
    follow(page.get_by_role("link", name="Tindak lanjut hasil periode ini"))
    page.wait_for_url(live_server.url + reverse("followup:period", args=[period.pk]))
    assert page.locator("h1").inner_text() == "Tindak lanjut hasil SKM Triwulan III 2024"
    proposed = page.locator("table.fu-priorities tr.fu-proposed")
    proposed_codes = [proposed.nth(i).locator("td").nth(1).inner_text() for i in range(proposed.count())]
    assert "U3" in proposed_codes  # Waktu Pelayanan, the lowest index (81,52) with grade C
    assert page.locator("#code-U3").is_checked()
    shot(page, "1-priorities")
    follow(page.get_by_role("button", name="Konfirmasi unsur prioritas"))
    assert "Unsur prioritas disimpan" in success(page)
    rtl = page.locator("table.fu-report").first
    assert "Waktu Pelayanan" in rtl.inner_text() and "Belum ada kegiatan" in rtl.inner_text()
    plan = FollowUpPlan.objects.get(period=period, element_code="U3")
    assert sorted(FollowUpPlan.objects.filter(period=period).values_list("element_code", flat=True)) == sorted(
        proposed_codes
    )

    # --- the plan: time frame, person in charge, two activities ------------------------------
    follow(rtl.get_by_role("link", name="Waktu Pelayanan"))
    page.wait_for_url(live_server.url + reverse("followup:plan", args=[plan.pk]))
    assert page.locator("h1").inner_text() == "U3 Waktu Pelayanan"
    page.get_by_label("Waktu pelaksanaan").fill("Oktober - Desember 2024")
    page.get_by_label("Penanggung jawab").fill("Bidang Pelayanan Perizinan")
    follow(page.get_by_role("button", name="Simpan rencana"))
    assert success(page) == "Rencana tindak lanjut disimpan."
    for title in ("Evaluasi Standar Pelayanan waktu layanan", "Sosialisasi maklumat waktu pelayanan"):
        page.get_by_role("textbox", name="Program/kegiatan").fill(title)
        follow(page.get_by_role("button", name="Tambah kegiatan"))
    assert success(page) == "Kegiatan b. ditambahkan."
    rows = page.locator("table.fu-activities tbody tr")
    assert [rows.nth(i).locator("td").nth(0).inner_text() for i in range(2)] == ["a.", "b."]
    progress_card = page.locator(".card", has_text="Progres")
    assert progress_card.locator(".fu-band").inner_text() == "< 30 %"
    assert "0 dari 2 kegiatan selesai" in progress_card.inner_text()
    activity = Activity.objects.get(plan=plan, title__startswith="Evaluasi")
    shot(page, "2-plan")

    # --- a meeting with its invitation -------------------------------------------------------
    today = timezone.localdate()
    page.get_by_role("link", name="Rapat & FKP").click()
    page.get_by_role("link", name="Rapat baru").click()
    form = page.locator("form.fu-meeting-form")
    form.get_by_label("Nama kegiatan").fill("Rapat Evaluasi Standar Pelayanan Waktu Layanan")
    form.get_by_label("Agenda").fill("Evaluasi standar waktu pelayanan perizinan")
    form.get_by_label("Hari/tanggal").fill(today.isoformat())
    form.locator("#id_start_time").fill("00:00")
    form.locator("#id_place").fill("Ruang Rapat DPMPTSP Prov. Kaltim")
    form.get_by_label("Nama pimpinan rapat").fill("Heru Pratama")
    form.get_by_label("Nama notulis").fill("Petugas SKM")
    form.get_by_label("Kode klasifikasi").fill("500.16.7.2")
    form.get_by_label("Kode unit pengolah").fill("DPMPTSP-IV")
    follow(form.get_by_role("button", name="Simpan"))
    assert "Rapat disimpan" in success(page)
    meeting = Meeting.objects.get()
    meeting_label = str(meeting)
    page.get_by_label("Yang diundang (satu per baris)").fill("Kepala Bidang Pelayanan Perizinan\nKepala Seksi SKM")
    follow(page.get_by_role("button", name="Simpan undangan"))
    assert success(page) == "Daftar undangan disimpan."
    assert "Kepala Seksi SKM" in page.locator("#undangan").inner_text()
    page.get_by_label("Nomor berikutnya dari aplikasi").check()
    follow(page.get_by_role("button", name="Beri nomor surat"))
    number = re.compile(rf"^500\.16\.7\.2/1/DPMPTSP-IV/{today.year}$")
    assert re.match(r"^Nomor surat: (.*)\.$", success(page))
    assert number.match(page.locator("#surat strong").inner_text())
    assert page.get_by_role("button", name="Beri nomor surat").count() == 0  # a number is never given twice
    follow(page.get_by_role("link", name="Lihat surat"))
    letter = page.locator("body").inner_text()
    assert f"500.16.7.2/1/DPMPTSP-IV/{today.year}" in letter
    assert "Evaluasi standar waktu pelayanan perizinan" in letter and "H. Fahmi Prima Laksana" in letter
    # The signature block of the head of office from the profile: title, name, rank and NIP.
    assert "Pembina Utama Muda" in letter and "NIP. 19680215 198903 1 008" in letter
    shot(page, "3-invitation")
    page.go_back()

    # --- QR check-in on a phone, no login ----------------------------------------------------
    follow(page.get_by_role("link", name="Tampilkan kode QR"))
    assert page.locator("svg.poster-qr").count() == 1
    checkin_link = live_server.url + reverse("followup:checkin", args=[meeting.checkin_token])
    assert checkin_link in page.locator("body").inner_text()
    phone_context = chromium.new_context(**PHONE)
    phone_context.set_default_timeout(10_000)
    phone_context.on("request", lambda r: visited.append(r.url))
    phone = phone_context.new_page()
    pages["phone"] = phone
    phone.goto(checkin_link)
    assert phone.locator("h1").inner_text() == "Daftar Hadir"
    assert "Rapat Evaluasi Standar Pelayanan Waktu Layanan" in phone.locator("body").inner_text()
    phone.get_by_label("Nama", exact=True).fill("Siti Rahmawati")
    phone.get_by_label("Instansi/Jabatan").fill("Kecamatan Samarinda Kota")
    phone.get_by_text("Perempuan", exact=True).tap()
    phone.get_by_label("Usia (tahun)").fill("34")
    canvas = phone.locator("#signature-canvas")
    assert canvas.is_visible()  # the script shows the pad when it runs
    draw_with_finger(
        phone_context,
        phone,
        canvas,
        [
            [(0.10, 0.70), (0.20, 0.30), (0.30, 0.70), (0.40, 0.30), (0.50, 0.70)],
            [(0.60, 0.40), (0.75, 0.60), (0.90, 0.35)],
        ],
    )
    drawn = phone.locator("input[name='signature']").input_value()
    assert drawn.startswith("M") and drawn.count("M") == 2 and " L" in drawn
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "4-checkin-phone")
    # Submitted with a click: after CDP-dispatched strokes headless Chromium often turns the
    # next synthetic tap into no click at all (a test-harness quirk; the radio above was tapped).
    follow(phone.get_by_role("button", name="Kirim"))
    expect(phone.locator("h1")).to_have_text("Terima kasih, kehadiran Anda tercatat.")
    assert "Nomor 1 pada daftar hadir: Siti Rahmawati." in phone.locator("body").inner_text()
    attendee = Attendee.objects.get(meeting=meeting)
    assert attendee.signature_path.startswith("M") and attendee.signature_path.count("M") == 2

    page.goto(live_server.url + reverse("followup:meeting", args=[meeting.pk]))
    row = page.locator("table.fu-attendees tbody tr")
    assert row.count() == 1
    assert "Siti Rahmawati" in row.inner_text() and "Kecamatan Samarinda Kota" in row.inner_text()
    assert row.locator("td.fu-sign svg path").count() >= 1  # the drawn signature, as drawn
    follow(page.get_by_role("link", name="Lihat daftar hadir"))
    sheet = page.locator("body")
    assert "Siti Rahmawati" in sheet.inner_text() and "34" in sheet.inner_text()
    assert page.locator("svg path").count() >= 1
    shot(page, "5-attendance")
    page.go_back()

    # --- minutes -----------------------------------------------------------------------------
    follow(page.get_by_role("link", name="Tulis notula"))
    basis = page.get_by_label("Dasar pelaksanaan")
    assert f"Nomor 500.16.7.2/1/DPMPTSP-IV/{today.year}" in basis.input_value()  # links the invitation
    page.get_by_label("Peserta rapat yang hadir").fill("Heru Pratama\nSiti Rahmawati")
    page.get_by_label("Hasil rapat").fill(
        "Standar waktu pelayanan dievaluasi per jenis izin.\n\nMaklumat waktu pelayanan disosialisasikan."
    )
    follow(page.get_by_role("button", name="Simpan"))
    assert success(page) == "Notula disimpan."
    assert "2 butir hasil rapat." in page.locator("#notula").inner_text()
    follow(page.get_by_role("link", name="Lihat notula"))
    minutes_text = page.locator("body").inner_text()
    assert "Maklumat waktu pelayanan disosialisasikan." in minutes_text and "Siti Rahmawati" in minutes_text
    shot(page, "6-minutes")

    # --- realisation with evidence, the activity done, the plan's progress --------------------
    page.goto(live_server.url + reverse("followup:activity", args=[activity.pk]))
    assert page.locator("h1").inner_text() == "a. Evaluasi Standar Pelayanan waktu layanan"
    page.get_by_label("Deskripsi tindak lanjut").fill("Rapat evaluasi standar waktu pelayanan bersama bidang teknis.")
    page.get_by_label("Tanggal pelaksanaan").fill(today.isoformat())
    follow(page.get_by_role("button", name="Simpan realisasi"))
    assert success(page) == "Realisasi a. ditambahkan."
    assert "Rapat evaluasi standar waktu pelayanan" in page.locator("table.fu-steps").inner_text()
    evidence_file = tmp_path / "foto-rapat.png"
    evidence_file.write_bytes(png_bytes())
    upload = page.locator("form[action$='/bukti/berkas/']")
    upload.get_by_label("Keterangan").fill("Foto rapat evaluasi")
    upload.get_by_label("Berkas (PDF, JPEG atau PNG)").set_input_files(str(evidence_file))
    upload.get_by_label("Untuk realisasi").select_option(
        label="a. Rapat evaluasi standar waktu pelayanan bersama bidang teknis."
    )
    follow(upload.get_by_role("button", name="Unggah"))
    assert success(page) == "Bukti dukung diunggah."
    evidence_row = page.locator("table.fu-evidence tbody tr", has_text="Foto rapat evaluasi")
    assert "foto-rapat.png" in evidence_row.inner_text() and "(PNG)" in evidence_row.inner_text()
    href = evidence_row.get_by_role("link", name="Foto rapat evaluasi").get_attribute("href")
    served = page.request.get(live_server.url + href)
    assert served.ok and served.headers["content-type"] == "image/png" and served.body() == png_bytes()
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.step is not None and evidence.original_name == "foto-rapat.png"
    linked = page.locator("form[action$='/bukti/rapat/']")
    linked.get_by_label("Rapat atau FKP").select_option(label=meeting_label)
    follow(linked.get_by_role("button", name="Tautkan"))
    assert success(page) == "Rapat ditautkan sebagai bukti dukung."
    page.locator("#id_status").select_option(label="Selesai")
    follow(page.locator("form[action$='/status/']").get_by_role("button", name="Simpan"))
    assert success(page) == "Status kegiatan a. disimpan."
    assert page.locator("p.text-muted .fu-status").inner_text() == "Selesai"
    shot(page, "7-activity")

    follow(page.get_by_role("link", name="Kembali ke rencana tindak lanjut"))
    progress_card = page.locator(".card", has_text="Progres")
    assert progress_card.locator(".fu-band").inner_text() == "30 - 80 %"
    assert "1 dari 2 kegiatan selesai (50,0 %)" in progress_card.inner_text()
    descriptions = page.locator(".fu-descriptions").inner_text()
    assert "a. Rapat evaluasi standar waktu pelayanan bersama bidang teknis." in descriptions
    shot(page, "8-plan-progress")
    follow(page.get_by_role("link", name="Tindak Lanjut", exact=True).first)
    overview_row = page.locator("tr", has_text="Triwulan III 2024").first
    assert "U3 Waktu Pelayanan" in overview_row.inner_text()
    assert "30 - 80 %" in overview_row.locator("li", has_text="U3 Waktu Pelayanan").inner_text()

    assert Activity.objects.get(pk=activity.pk).status == Activity.Status.DONE
    assert not [url for url in visited if "/admin/" in url]
