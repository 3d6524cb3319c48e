"""The report's narrative as the app proposes it from the data ("usulkan dari data"), and
the default title: rendered from the `reports/defaults/` templates in the office's language."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.models import Period

from . import assembly, proposals, rendering
from .models import Report


def default_title(*, kind: str, year: int, period: Period | None = None) -> str:
    if kind == Report.Kind.RESULTS and period is not None:
        return _("Laporan Hasil Survei Kepuasan Masyarakat (SKM) %(period)s") % {"period": period.name}
    return _("Laporan Tindak Lanjut Hasil Survei Kepuasan Masyarakat (SKM) Tahun %(year)s") % {"year": year}


FOLLOWUP_NARRATIVE = (
    "foreword",
    "background",
    "legal_basis",
    "results_intro",
    "plan_intro",
    "realisation_intro",
    "conclusion",
)
RESULTS_NARRATIVE = ("foreword", "conclusion")
# Everything an officer edits on the report's page: the title block and the narrative.
TEXT_FIELDS = ("title", "place", "document_date", *FOLLOWUP_NARRATIVE)


def narrative_fields(kind: str) -> tuple[str, ...]:
    return RESULTS_NARRATIVE if kind == Report.Kind.RESULTS else FOLLOWUP_NARRATIVE


def default_texts(*, kind: str, year: int, period: Period | None = None) -> dict[str, str]:
    """The narrative the app proposes from the data ("usulkan dari data").

    Wording follows the seed report; every fact in it comes from the data: months from
    the periods' dates, element counts per source from the questionnaire, findings from
    the results, priorities from the confirmed follow-up plans (see `proposals`).
    """
    with translation.override(settings.LANGUAGE_CODE):
        if kind == Report.Kind.RESULTS:
            data = assembly.results_report_data(period)
            context = {
                "data": data,
                "office": data.office,
                "region": rendering.region_of(data.office),
                "basis": proposals.element_basis(data.result),
                "findings": proposals.findings_sentence(proposals.findings([(period.name, data.result)])),
            }
            prefix = "reports/defaults/results_"
        else:
            data = assembly.followup_report_data(year)
            results = [(s.period.name, s.result) for s in data.periods]
            context = {
                "data": data,
                "year": year,
                "office": data.office,
                "region": rendering.region_of(data.office),
                "months": proposals.month_span(data.first_month, data.last_month),
                "basis": proposals.element_basis(data.periods[0].result if data.periods else None),
                "findings": proposals.findings_sentence(proposals.findings(results)),
                "priorities": rendering.join_words(proposals.confirmed_priorities(year=year)),
                "respondents": sum(s.result.respondents for s in data.periods),
                "satisfied": bool(data.periods)
                and all(s.result.grade is not None and s.result.grade.letter in "AB" for s in data.periods),
                "realised": any(row.descriptions for row in data.plans),
            }
            prefix = "reports/defaults/"
        texts = {name: render_to_string(f"{prefix}{name}.txt", context).strip() for name in narrative_fields(kind)}
    return texts
