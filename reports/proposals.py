"""The facts a proposed report text states, read from the data ("usulkan dari data").

The office writes its report's narrative; the app only proposes a draft. A proposal
never says more than the data holds: months come from the periods' real dates, the
element count per source from the questionnaire (`Element.source`), findings from the
real results, priorities from the confirmed follow-up plans. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _

from followup.models import FollowUpPlan
from surveys.ikm import IkmResult
from surveys.models import Element, Questionnaire

from .rendering import join_words

PERMENPAN_REGULATION = "Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik"


def month_span(start: dt.date | None, end: dt.date | None) -> str:
    """ "Januari hingga September 2024", "Juli 2024", "Desember 2023 hingga Juni 2024"."""
    if start is None or end is None:
        return ""
    if (start.year, start.month) == (end.year, end.month):
        return date_filter(end, "F Y")
    first = date_filter(start, "F" if start.year == end.year else "F Y")
    return _("%(first)s hingga %(last)s") % {"first": first, "last": date_filter(end, "F Y")}


def _sources_by_code() -> dict[str, tuple[str, str]]:
    """Element code -> (source, name) on the active questionnaire."""
    try:
        questionnaire = Questionnaire.active()
    except Questionnaire.DoesNotExist:
        return {}
    return {e.code: (e.source, e.name) for e in questionnaire.elements.all()}


def element_basis(result: IkmResult | None) -> str:
    """Where the measured elements come from, counted: "9 unsur ... ditambah 2 unsur SPI yakni ...".

    Published aggregates carry element codes only; their source is read off the active
    questionnaire by code. An element of unknown origin counts as the unit's own.
    """
    if result is None or not result.elements:
        return ""
    known = _sources_by_code()
    groups: dict[str, list[str]] = {Element.Source.PERMENPAN: [], Element.Source.SPI: [], Element.Source.OWN: []}
    for element in result.elements:
        source, _name = known.get(element.code, (Element.Source.OWN, element.name))
        groups.setdefault(source, []).append(element.name.lower())
    parts = []
    if groups[Element.Source.PERMENPAN]:
        parts.append(
            _("%(n)s unsur pengukuran kepuasan masyarakat terhadap pelayanan yang diterima berdasarkan %(rule)s")
            % {"n": len(groups[Element.Source.PERMENPAN]), "rule": PERMENPAN_REGULATION}
        )
    if groups[Element.Source.SPI]:
        parts.append(
            _("%(n)s unsur Survei Penilaian Integritas (SPI) yakni %(names)s")
            % {"n": len(groups[Element.Source.SPI]), "names": join_words(groups[Element.Source.SPI])}
        )
    if groups[Element.Source.OWN]:
        parts.append(
            _("%(n)s unsur tambahan yang ditetapkan unit pelayanan yakni %(names)s")
            % {"n": len(groups[Element.Source.OWN]), "names": join_words(groups[Element.Source.OWN])}
        )
    return (" " + _("ditambah") + " ").join(parts)


@dataclass(frozen=True)
class Finding:
    """The highest and the lowest element of one period's results."""

    period_name: str
    highest: list[tuple[str, object]]  # (name, index) - ties all named
    lowest: list[tuple[str, object]]


def findings(named_results: list[tuple[str, IkmResult]]) -> list[Finding]:
    out = []
    for name, result in named_results:
        scored = [e for e in result.elements if e.index is not None]
        if not scored:
            continue
        top = max(e.index for e in scored)
        bottom = min(e.index for e in scored)
        out.append(
            Finding(
                period_name=name,
                highest=[(e.name.lower(), e.index) for e in scored if e.index == top],
                lowest=[(e.name.lower(), e.index) for e in scored if e.index == bottom],
            )
        )
    return out


def findings_sentence(items: list[Finding]) -> str:
    """ "Pada Semester I 2024 nilai unsur tertinggi adalah ... (96,82) dan terendah ... (85,87)." """
    from skm_portal.templatetags.idformat import idnum

    def named(pairs):
        return join_words([f"{name} ({idnum(index)})" for name, index in pairs])

    sentences = [
        _("Pada %(period)s nilai unsur tertinggi adalah %(high)s dan terendah %(low)s.")
        % {"period": f.period_name, "high": named(f.highest), "low": named(f.lowest)}
        for f in items
    ]
    return " ".join(sentences)


def confirmed_priorities(*, year: int | None = None, period=None) -> list[str]:
    """Names of the elements the office confirmed as follow-up priorities, in plan order."""
    plans = FollowUpPlan.objects.order_by("period__start_date", "period_id", "rank", "element_code")
    plans = plans.filter(period=period) if period is not None else plans.filter(period__start_date__year=year)
    names: list[str] = []
    for name in plans.values_list("element_name", flat=True):
        if name.lower() not in names:
            names.append(name.lower())
    return names
