"""Data gathering: defaults filled from the data, fixed number of queries, appendix hook."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import assembly, rendering, services
from reports.models import Report
from tests.reports.helpers import demo_officer


def test_default_texts_fill_in_the_numbers(report_2024):
    assert "Tahun 2024" in report_2024.foreword
    assert "92,38" in report_2024.background and "91,70" in report_2024.background
    assert "444 orang responden" in report_2024.background  # 283 + 161
    assert "waktu pelayanan dan produk pelayanan" in report_2024.conclusion
    assert report_2024.legal_basis_items[0] == "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;"


def _queries(year):
    with CaptureQueriesContext(connection) as captured:
        assembly.followup_report_data(year)
    return len(captured)


def test_queries_do_not_grow_with_activities_and_evidence(demo_2024):
    from followup.models import Activity
    from followup.plans import evidence as evidence_services
    from followup.plans import services as followup_services

    before = _queries(2024)
    for activity in list(Activity.objects.all()):
        for n in range(5):
            step = followup_services.step_add(activity=activity, user=demo_officer(), description=f"Langkah {n}")
            evidence_services.evidence_add_link(
                activity=activity,
                user=demo_officer(),
                url=f"https://contoh.go.id/{activity.pk}/{n}",
                title=f"Bukti {n}",
                step=step,
            )
    assert _queries(2024) == before


def test_appendix_documents_from_a_provider(report_2024, monkeypatch, settings):
    import followup.meetings.selectors

    calls = []

    def provider(*, year):
        calls.append(year)
        return [
            {"title": "Notula Rapat Evaluasi SOP", "template": "fake/meeting.html", "context": {"meeting_name": "SOP"}}
        ]

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], settings.BASE_DIR / "tests/reports/templates"],
        }
    ]
    monkeypatch.setattr(followup.meetings.selectors, "report_appendix_documents", provider, raising=False)
    from reports import parts

    fragments: list[str] = []
    made: list[parts.Part] = []
    real = parts.part_for

    def spy(fragment, **options):
        fragments.append(str(fragment))
        made.append(real(fragment, **options))
        return made[-1]

    monkeypatch.setattr(parts, "part_for", spy)
    html = rendering.report_html(report_2024, code="x", version_number=1).html
    assert calls == [2024]
    # The document is rendered alone as an appendix part; the report reserves its pages.
    document = next(i for i, fragment in enumerate(fragments) if "NOTULA RAPAT SOP" in fragment)
    assert "Kantor: DPMPTSP" in fragments[document]
    assert f'id="{parts.part_slot_id(made[document].fingerprint, 1)}"' in html
    assert 'href="#lampiran-dokumen-1">Notula Rapat Evaluasi SOP' in html  # in the table of contents


def test_without_a_provider_the_appendix_still_renders(report_2024, monkeypatch):
    from reports import appendix

    monkeypatch.setattr(appendix, "PROVIDERS", (("followup.meetings.selectors", "no_such_function"),))
    assert assembly.followup_report_data(2024).documents == []


def test_results_report_of_a_computed_period(demo_2024, tmp_path):
    from surveys.models import Period
    from tests.reports.helpers import pdf_pages

    period = Period.objects.get(name="Semester I 2025")
    report = services.report_create(kind=Report.Kind.RESULTS, period=period)
    pdf, _build = services.report_build_now(report=report)
    text = " ".join(" ".join(pdf_pages(pdf, tmp_path, layout=False)).split())
    data = assembly.results_report_data(period)
    assert f"Jumlah responden: {data.result.respondents} orang" in text
    assert "Profil responden" in text and "Saran dan masukan" in text
    assert "Krejcie & Morgan" in text
    assert data.suggestion_groups[0].items[0].text in text
