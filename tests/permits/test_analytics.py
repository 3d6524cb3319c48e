"""Service-time analytics against figures computed by hand from a known set of files.

The files (July 2025 has no holiday in the week used; WITA):
- A, air tanah, loop A: office steps 1+2+3+1+4+1+1+1+1 = 15 h, 18 h with the applicant.
- B, air tanah, loop B at kabid: 5 x 1 h, kabid 2 h, applicant 4 h, kabid 2 h, penetapan 11 h.
- C, air tanah, open at proses backoffice after 3 x 1 h. D, air tanah, waiting since June.
- E, reklame (3 working days), verified 4 working days after submission: finished late.
- G and H, reklame, submitted just before and just after new year 2025 (WITA), waiting.
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from permits.analytics import permit_analytics
from permits.models import PermitType, ProcessLogEntry
from permits.services import permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role

from .helpers import at

H = dt.timedelta(hours=1)
NOW = at(2025, 7, 15, 12)
R = Role


@pytest.fixture
def story(people, apply, advance, water_permit, simple_permit):
    def move(permit, action, role, when, note=""):
        return permit_transition(
            permit=permit, action=action, actor=people[role], note=note, now=when, declaration=True, notify=False
        )

    monday = at(2025, 7, 7, 9)
    a = apply(water_permit, now=monday, notify=False)
    for action, role, when, note in [
        (Action.VERIFY_REGISTRATION, R.BACKOFFICE, at(2025, 7, 7, 10), ""),
        (Action.FORWARD_TO_AGENCY, R.BACKOFFICE, at(2025, 7, 7, 12), ""),
        (Action.AGENCY_REQUEST_REVISION, R.DINAS_TEKNIS, at(2025, 7, 7, 15), "Koordinat salah."),
        (Action.BACKOFFICE_RETURN, R.BACKOFFICE, at(2025, 7, 7, 16), "Perbaiki peta."),
        (Action.SUBMIT_FIX, R.PEMOHON, at(2025, 7, 8, 10), "Koordinat ada di halaman 3."),
        (Action.AGENCY_APPROVE, R.DINAS_TEKNIS, at(2025, 7, 8, 14), ""),
        (Action.BACKOFFICE_COMPLETE, R.BACKOFFICE, at(2025, 7, 8, 15), ""),
        (Action.KASI_APPROVE, R.KASI, at(2025, 7, 8, 16), ""),
        (Action.KABID_APPROVE, R.KABID, at(2025, 7, 8, 17), ""),
        (Action.ISSUE, R.KEPALA_DINAS, at(2025, 7, 8, 18), ""),
    ]:
        a = move(a, action, role, when, note)

    b = advance(apply(water_permit, now=monday, notify=False), Step.VALIDASI_KABID, start=monday)  # 14.00
    b = move(b, Action.KABID_RETURN, R.KABID, at(2025, 7, 7, 16), "Lampirkan NIB.")
    b = move(b, Action.SAVE_REVISION, R.PEMOHON, at(2025, 7, 7, 20), "NIB sudah terlampir.")
    b = move(b, Action.KABID_APPROVE, R.KABID, at(2025, 7, 7, 22))
    b = move(b, Action.ISSUE, R.KEPALA_DINAS, at(2025, 7, 8, 9))

    c = advance(apply(water_permit, now=monday, notify=False), Step.PROSES_BACKOFFICE, start=monday)
    d = apply(water_permit, now=at(2025, 6, 2, 8), notify=False)

    e = apply(simple_permit, now=monday, notify=False)
    e = move(e, Action.VERIFY_REGISTRATION, R.BACKOFFICE, at(2025, 7, 11, 9))
    for hour, (action, role) in enumerate(
        [
            (Action.FORWARD_TO_BACKOFFICE, R.BACKOFFICE),
            (Action.BACKOFFICE_COMPLETE, R.BACKOFFICE),
            (Action.KASI_APPROVE, R.KASI),
            (Action.KABID_APPROVE, R.KABID),
            (Action.ISSUE, R.KEPALA_DINAS),
        ],
        start=10,
    ):
        e = move(e, action, role, at(2025, 7, 11, hour))
    g = apply(simple_permit, now=at(2024, 12, 31, 23, 30), notify=False)
    h = apply(simple_permit, now=at(2025, 1, 1, 0, 30), notify=False)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "g": g, "h": h}


def figures_of(report, name):
    [figures] = [t for t in report.types if t.name == name]
    return figures


def steps_of(figures):
    return {s.step: s for s in figures.steps}


@pytest.mark.django_db
def test_figures_per_type_and_step(story, water_permit, simple_permit):
    report = permit_analytics(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31), now=NOW)
    assert [t.name for t in report.types] == sorted([water_permit.name, simple_permit.name])

    water = figures_of(report, water_permit.name)
    assert (water.files, water.completed, water.overdue) == (4, 2, 1)  # D is past its 10 working days
    assert (water.revised_files, water.revision_rounds) == (2, 2)
    # Office time per finished file: A 15 h, B 20 h.
    assert water.median == dt.timedelta(hours=17, minutes=30)
    assert water.p90 == dt.timedelta(hours=19, minutes=30)  # 15 + 0.9 * 5
    # Durations 15 + 20 + 3 (C so far) = 38 h, offtime 18 + 4 = 22 h.
    assert (water.duration, water.offtime) == (38 * H, 22 * H)
    assert water.offtime_share * 60 == 22
    assert water.overdue_rate * 4 == 1

    steps = steps_of(water)
    assert Step.PENDAFTARAN not in steps
    expected = {
        # step: (entries, median, p90, revision rounds it caused)
        Step.VERIFIKASI_PENDAFTARAN: (3, H, H, 0),
        Step.VERIFIKASI_IZIN: (3, H, dt.timedelta(hours=1, minutes=48), 0),  # 1 1 2: 1 + 0.8
        Step.PERTIMBANGAN_DINAS_TEKNIS: (4, 2 * H, dt.timedelta(hours=3, minutes=42), 1),  # 1 1 3 4
        Step.BACKOFFICE_REVISI_DINAS: (1, H, H, 0),
        Step.PROSES_BACKOFFICE: (2, H, H, 0),
        Step.VALIDASI_KASI: (2, H, H, 0),
        Step.VALIDASI_KABID: (3, 2 * H, 2 * H, 1),  # 1 2 2
        Step.PENETAPAN: (2, 6 * H, 10 * H, 0),  # 1 11: 1 + 0.9 * 10
        Step.REVISI: (2, 11 * H, dt.timedelta(hours=16, minutes=36), 0),  # offtime 4 18
    }
    found = {step: (s.entries, s.median, s.p90, s.revision_rounds) for step, s in steps.items()}
    assert found == expected
    assert steps[Step.REVISI].offtime_share == water.offtime_share
    assert all(s.offtime_share == 0 for step, s in steps.items() if step != Step.REVISI)

    reklame = figures_of(report, simple_permit.name)
    # E finished late (4 working days for a 3-day standard), H waits since 1 January; G is 2024.
    assert (reklame.files, reklame.completed, reklame.overdue, reklame.revision_rounds) == (2, 1, 2, 0)
    assert reklame.median == reklame.p90 == 101 * H
    assert reklame.offtime_share == 0

    total = report.total
    assert (total.files, total.completed, total.overdue, total.revision_rounds) == (6, 3, 3, 2)
    assert total.median == 20 * H  # 15 20 101
    assert total.p90 == dt.timedelta(hours=84, minutes=48)  # 20 + 0.8 * 81
    assert total.offtime_share * (38 + 101 + 22) == 22


@pytest.mark.django_db
def test_date_range_counts_submission_days_in_wita(story, simple_permit):
    old = permit_analytics(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), now=NOW)
    assert [(t.name, t.files) for t in old.types] == [(simple_permit.name, 1)]
    new_year = permit_analytics(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 1), now=NOW)
    assert [(t.name, t.files) for t in new_year.types] == [(simple_permit.name, 1)]
    only = permit_analytics(
        date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31), permit_type=simple_permit, now=NOW
    )
    assert [t.name for t in only.types] == [simple_permit.name]
    assert only.total.files == 2


@pytest.mark.django_db
def test_page_and_export(client, people, story, water_permit):
    client.force_login(people[R.KASI])
    page = client.get(reverse("permits:analytics"), {"year": "2025"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "17:30:00" in html and "19:30:00" in html  # median and p90 of air tanah
    assert "36,7 %" in html  # 22 of 60 hours with the applicant
    # The page counts overdue files at the real now, after July 2025: C (due 21 July) and D.
    assert "2 (50,0 %)" in html

    export = client.get(reverse("permits:analytics_export"), {"year": "2025", "permit_type": water_permit.pk})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(export.content))
    summary = list(workbook["Waktu Pelayanan"].iter_rows(values_only=True))
    assert summary[1][0].startswith("Berkas diajukan 1 Januari 2025 s.d. 31 Desember 2025; dihitung ")
    assert summary[1][0].endswith(" WITA")
    header = summary[3]
    rows = [dict(zip(header, row, strict=False)) for row in summary[4:]]
    [water] = [r for r in rows if r["Jenis izin"] == water_permit.name and r["Tahap"] == "Seluruh tahap"]
    assert water["Jumlah berkas"] == 4 and water["Berkas selesai"] == 2
    assert water["Median waktu (jam)"] == 17.5 and water["Persentil ke-90 waktu (jam)"] == 19.5
    assert water["Porsi offtime (%)"] == 36.7 and water["Tingkat keterlambatan (%)"] == 50
    assert water["Jumlah revisi"] == 2 and water["Standar (hari kerja)"] == 10
    [kabid] = [r for r in rows if r["Jenis izin"] == water_permit.name and r["Tahap"] == "validasi kabid"]
    assert (kabid["Jumlah proses"], kabid["Median waktu (jam)"], kabid["Jumlah revisi"]) == (3, 2, 1)

    log = list(workbook["Log Proses"].iter_rows(values_only=True))
    # Every entry of the four air tanah files: A 11, B 10, C 4, D 1.
    assert len(log) - 1 == 26
    assert {"Koordinat salah.", "Perbaiki peta.", "Lampirkan NIB."} <= {row[10] for row in log[1:]}
    # Start and end are spreadsheet date-times (WITA wall clock), not text; hours keep full precision.
    header = log[0]
    started, ended = header.index("Mulai (WITA)"), header.index("Tanggal (WITA)")
    cells = next(workbook["Log Proses"].iter_rows(min_row=2, max_row=2))
    assert cells[ended].is_date and cells[ended].number_format == "yyyy-mm-dd hh:mm:ss"
    first_entry = (
        ProcessLogEntry.objects.filter(application__permit_type=water_permit)
        .order_by("application__submitted_at", "application_id", "at", "pk")
        .first()
    )
    wall_clock = timezone.localtime(first_entry.at, ZoneInfo("Asia/Makassar")).replace(tzinfo=None)
    assert abs(log[1][ended] - wall_clock) < dt.timedelta(seconds=1)
    assert log[1][started] is None or isinstance(log[1][started], dt.datetime)


@pytest.mark.django_db
def test_export_escapes_text_that_a_spreadsheet_would_run(client, people, story, water_permit):
    PermitType.objects.filter(pk=water_permit.pk).update(name='=HYPERLINK("http://x")')
    story["c"].log.filter(step=Step.VERIFIKASI_IZIN).update(note="+62 811 untuk konfirmasi")
    client.force_login(people[R.KABID])
    export = client.get(reverse("permits:analytics_export"), {"year": "2025"})
    workbook = load_workbook(io.BytesIO(export.content))
    names = {row[0] for row in workbook["Waktu Pelayanan"].iter_rows(min_row=5, values_only=True)}
    assert '\'=HYPERLINK("http://x")' in names
    cells = [row[10] for row in workbook["Log Proses"].iter_rows(min_row=2)]
    note = next(cell for cell in cells if cell.value and "untuk konfirmasi" in cell.value)
    assert note.value == "'+62 811 untuk konfirmasi" and note.data_type == "s"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "2025-07-10", "date_to": "2025-07-01"}, "Tanggal awal harus sebelum"),
        ({"date_from": "2025-07-10"}, "Isi tanggal awal dan tanggal akhir"),
        ({"date_from": "10 Juli", "date_to": "2025-07-01"}, "Tanggal tidak valid"),
        ({"permit_type": "999999"}, "Masukkan pilihan yang valid"),
    ],
)
def test_bad_filters_explain_and_export_nothing(client, people, story, query, message):
    client.force_login(people[R.BACKOFFICE])
    page = client.get(reverse("permits:analytics"), query)
    assert page.status_code == 200 and message in page.content.decode()
    assert page.context["report"] is None
    export = client.get(reverse("permits:analytics_export"), query)
    assert export.status_code == 400 and message in export.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonim")
def test_who_sees_the_analytics(client, people, role):
    allowed = {R.BACKOFFICE, R.KASI, R.KABID, R.KEPALA_DINAS, R.ADMINISTRATOR, R.PETUGAS_SKM}
    if role is not None:
        client.force_login(people[role])
    for name in ("permits:analytics", "permits:analytics_export"):
        status = client.get(reverse(name)).status_code
        if role is None:
            assert status == 302
        else:
            assert status == (200 if role in allowed else 403), (name, role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, sees_personal_data",
    [(R.KASI, True), (R.KEPALA_DINAS, True), (R.BACKOFFICE, True), (R.ADMINISTRATOR, False), (R.PETUGAS_SKM, False)],
)
def test_names_and_notes_in_the_export_only_for_roles_that_may_open_the_files(
    client, people, story, water_permit, role, sees_personal_data
):
    applicant = people[R.PEMOHON].get_full_name()
    client.force_login(people[role])
    export = client.get(reverse("permits:analytics_export"), {"year": "2025", "permit_type": water_permit.pk})
    log = list(load_workbook(io.BytesIO(export.content))["Log Proses"].iter_rows(values_only=True))[1:]
    users, notes = {row[4] for row in log}, {row[10] for row in log}
    assert len(log) == 26  # the times stay for everyone
    if sees_personal_data:
        assert applicant in users and {"Koordinat salah.", "Lampirkan NIB."} <= notes
    else:
        assert applicant not in users and "Pemohon" in users
        assert notes <= {None, "", "(disembunyikan)"} and "(disembunyikan)" in notes


def test_same_report_as_before_pandas(story, water_permit):
    """The pandas tables give the very report the per-row Python code gave (kept in analytics_before_pandas)."""
    from .analytics_before_pandas import permit_analytics as before_pandas

    for bounds in [
        {"date_from": dt.date(2025, 7, 1), "date_to": dt.date(2025, 7, 31)},
        {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2025, 12, 31)},
        {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2025, 12, 31), "permit_type": water_permit},
        {"date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 1, 31)},  # no file at all
    ]:
        assert permit_analytics(**bounds, now=NOW) == before_pandas(**bounds, now=NOW)


def test_step_medians_equal_the_standard_librarys_over_the_raw_log(story):
    """Every step median and the median per completed file, recomputed from the raw log rows."""
    import statistics

    report = permit_analytics(date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 31), now=NOW)
    rows = ProcessLogEntry.objects.filter(application__submitted_at__gte=at(2025, 7, 1)).exclude(step=Step.PENDAFTARAN)
    for figures in report.types:
        mine = rows.filter(application__permit_type_id=figures.permit_type_id)
        for step in figures.steps:
            values = [
                (e.offtime if step.step == Step.REVISI else e.duration).total_seconds()
                for e in mine.filter(step=step.step)
            ]
            assert step.median == dt.timedelta(seconds=int(statistics.median(values) + 0.5)), (figures.name, step.label)
        per_file = {}
        for entry in mine.filter(application__completed_at__isnull=False):
            per_file[entry.application_id] = per_file.get(entry.application_id, 0) + entry.duration.total_seconds()
        expected = dt.timedelta(seconds=int(statistics.median(per_file.values()) + 0.5)) if per_file else None
        assert figures.median == expected, figures.name
