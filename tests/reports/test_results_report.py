"""The per-period results report: saran as a readable list grouped by element, the confirmed
priorities in its conclusion, the date the officer sets when building the draft."""

from __future__ import annotations

import re
import shutil

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from followup.plans import services as followup_services
from reports import services
from reports.models import Report
from reports.suggestions import group_suggestions
from skm_portal.roles import Role
from surveys.models import Period
from tests.reports.helpers import demo_officer, pdf_pages

ELEMENTS = [
    ("U1", "Persyaratan"),
    ("U3", "Waktu Pelayanan"),
    ("U4", "Biaya/Tarif"),
    ("U7", "Perilaku Pelaksana"),
    ("U8", "Sarana dan Prasarana"),
    ("U10", "Transparansi Pelayanan"),
    ("U12", "Kebersihan Ruang Tunggu"),  # an element the office added
]


def test_suggestions_are_grouped_by_the_element_they_speak_of():
    texts = [
        ("Mohon waktu penyelesaian izin dipercepat.", 5),
        ("mohon  waktu penyelesaian izin dipercepat", 2),  # the same words: one line, counted 7
        ("Kebersihan ruang tunggu perlu dijaga.", 3),
        ("Informasi persyaratan di website agar lebih lengkap.", 4),  # two words of U10, one of U1
        ("Petugas ramah dan sopan.", 1),
        ("Toilet dan parkir kurang memadai.", 1),
        ("Terima kasih.", 2),
    ]
    groups = {g.code: g for g in group_suggestions(texts, ELEMENTS)}
    assert [(i.text, i.count) for i in groups["U3"].items] == [("Mohon waktu penyelesaian izin dipercepat.", 7)]
    assert [i.text for i in groups["U10"].items] == ["Informasi persyaratan di website agar lebih lengkap."]
    assert [i.text for i in groups["U7"].items] == ["Petugas ramah dan sopan."]
    # "kebersihan", "ruang", "tunggu": the office's own element names them most.
    assert [i.text for i in groups["U12"].items] == ["Kebersihan ruang tunggu perlu dijaga."]
    assert [i.text for i in groups["U8"].items] == ["Toilet dan parkir kurang memadai."]
    assert groups[""].label == "Lainnya" and [i.text for i in groups[""].items] == ["Terima kasih."]
    assert "U1" not in groups  # an element nobody wrote about has no heading
    order = [g.code for g in group_suggestions(texts, ELEMENTS)]
    assert order == ["U3", "U7", "U8", "U10", "U12", ""]  # questionnaire order, Lainnya last
    assert groups["U3"].total == 7


def test_suggestion_limit_keeps_the_most_frequent():
    texts = [("Mohon waktu dipercepat.", 9), ("Biaya gratis, terima kasih.", 1), ("Website lengkap.", 4)]
    groups = group_suggestions(texts, ELEMENTS, limit=2)
    assert sorted(i.text for g in groups for i in g.items) == ["Mohon waktu dipercepat.", "Website lengkap."]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_results_report_lists_saran_priorities_and_the_date_set_on_the_build_form(survey_demo, client_as, tmp_path):
    period = Period.objects.get(name="Semester I 2025")
    followup_services.priorities_confirm(period=period, codes=["U3", "U5"], user=demo_officer())
    report = services.report_create(kind=Report.Kind.RESULTS, period=period)
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("reports:build_start", args=[report.pk]), {"document_date": "2025-07-15"})
    assert response.status_code == 302
    report.refresh_from_db()
    build = report.builds.get()
    assert build.status == build.Status.DONE and build.revision == report.revision
    with build.file.open("rb") as handle:
        text = re.sub(r"\s+", " ", " ".join(pdf_pages(handle.read(), tmp_path, layout=False)))
    assert "Samarinda, 15 Juli 2025" in text
    # Saran: a heading per element, each distinct suggestion once with how many wrote it.
    assert re.search(
        r"U3 Waktu Pelayanan \(\d+ responden\) \W? ?Mohon waktu penyelesaian izin dipercepat\. \(\d+\)", text
    )
    assert re.search(r"U10 Transparansi Pelayanan \(\d+ responden\) \W? ?Informasi persyaratan di website", text)
    assert "U8 Sarana dan Prasarana" in text and "Ruang tunggu perlu ditambah kursi." in text
    assert text.count("Mohon waktu penyelesaian izin dipercepat.") == 1
    # Kesimpulan names the confirmed priorities.
    conclusion = text[text.index("6. Kesimpulan") :]
    assert re.search(
        r"prioritas rencana tindak lanjut: 1\. U3 Waktu Pelayanan \(indeks 79,10\) 2\. U5 Produk Layanan", conclusion
    )


def test_a_bad_date_on_the_build_form_changes_nothing(survey_demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    report = services.report_create(kind=Report.Kind.RESULTS, period=period)
    before = (report.document_date, report.revision)
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("reports:build_start", args=[report.pk]), {"document_date": "2025-02-30"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Tanggal laporan tidak valid."]
    report.refresh_from_db()
    assert (report.document_date, report.revision) == before and not report.builds.exists()
