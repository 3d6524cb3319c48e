"""Survey exports: generators yield the rows of the raw responses and of the recap.

The portal's writer (`skm_portal.exporting`) turns them into an xlsx workbook or CSV, in
constant memory; the big ones run as background jobs (`surveys.export_jobs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _

from skm_portal.exporting import FMT_2, FMT_4, FMT_INT, Formula, Num, Sheet

from . import ikm, selectors
from .models import Element, Questionnaire, Service

# --- Raw responses, in the layout of the import file ---------------------------------

RESPONSE_COLUMNS = ("tanggal", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan")


def _layout_codes() -> list[str]:
    return [e.code for e in Questionnaire.active().elements.all()]


def response_rows(
    *, date_from: dt.date, date_to: dt.date, service: Service | None = None, chunk_size: int = 2000
) -> Iterator[list[object]]:
    """One header row, then one row per response: profile, a score per element, saran.

    Element columns are the active questionnaire's codes; a response given on another
    questionnaire fills them by element code. `pekerjaan` is the choice (LAINNYA, ...) so
    the file imports again; the free text of "lainnya" has no column in that layout.
    """
    codes = _layout_codes()
    fields_by_questionnaire: dict[int, dict[str, str]] = {}
    for element in Element.objects.all():
        fields_by_questionnaire.setdefault(element.questionnaire_id, {})[element.code] = element.field
    slots = sorted({f for mapping in fields_by_questionnaire.values() for f in mapping.values()})
    first_slot = 7  # after the seven fixed columns below
    # Per questionnaire, the position in a database row of each layout code's score (or None).
    positions = {
        pk: [first_slot + slots.index(mapping[code]) if code in mapping else None for code in codes]
        for pk, mapping in fields_by_questionnaire.items()
    }
    service_codes = dict(Service.objects.values_list("pk", "code"))
    yield [*RESPONSE_COLUMNS, *codes, "saran"]
    rows = (
        selectors.responses_between(date_from, date_to, service)
        .order_by("survey_date", "pk")
        .values_list(
            "questionnaire_id",
            "survey_date",
            "service_id",
            "sex",
            "age",
            "education",
            "occupation",
            *slots,
            "suggestion",
        )
    )
    missing: list[int | None] = [None] * len(codes)
    for row in rows.iterator(chunk_size=chunk_size):
        where = positions.get(row[0], missing)
        yield [
            row[1],
            service_codes.get(row[2]),
            row[3],
            row[4],
            row[5] or None,
            row[6] or None,
            *[None if at is None else row[at] for at in where],
            row[-1] or None,
        ]


def responses_sheet(*, date_from: dt.date, date_to: dt.date, service: Service | None = None) -> Sheet:
    return Sheet(
        title=_("Jawaban"),
        rows=response_rows(date_from=date_from, date_to=date_to, service=service),
        widths={"A": 12, "B": 14},
    )


# --- Recap (olah data) -----------------------------------------------------------------


RECAP_FIRST_ELEMENT_ROW_OFFSET = 3  # heading rows, one blank row, the column header


def recap_rows(result: ikm.IkmResult, *, heading: Sequence[tuple[str, object]] = ()) -> Iterator[list[object]]:
    """The worksheet an officer checks the IKM with: sums, counts, NRR, weights, indices.

    Values are exact or full precision, shown with 2 or 4 decimals; the IKM row is a
    formula over the element rows (SUMPRODUCT of NRR and weight, x 25), so the sheet
    recomputes to the app's IKM in any spreadsheet. Published aggregates have only the
    entered indices; their sum/count/NRR cells stay empty and the IKM is the weighted
    mean of the indices (SUMPRODUCT of index and weight).
    """
    for label, value in heading:
        yield [label, value]
    yield []
    yield [
        _("Kode Unsur"),
        _("Unsur"),
        _("Jumlah Nilai"),
        _("Jumlah Jawaban"),
        _("NRR"),
        _("Bobot"),
        _("NRR Tertimbang"),
        _("Index"),
        _("Mutu Pelayanan"),
        _("Kinerja"),
    ]
    published = result.published
    first = len(heading) + RECAP_FIRST_ELEMENT_ROW_OFFSET  # 1-based row of the first element
    for e in result.elements:
        grade = e.grade
        yield [
            e.code,
            e.name,
            None if published else Num(e.total, 0, FMT_INT),
            None if published else Num(e.answers, 0, FMT_INT),
            None if published else Num(e.nrr, None, FMT_4),
            Num(e.weight, None, FMT_4),
            None if published else Num(e.weighted_nrr, None, FMT_4),
            Num(e.index, None, FMT_2),
            grade.letter if grade else None,
            grade.performance if grade else None,
        ]
    last = first + len(result.elements) - 1
    yield []
    ikm_row = last + 2
    grade = result.grade
    if not result.elements:
        nrr, index = Num(None), Num(None)
    elif published:
        index = Formula(f"=SUMPRODUCT(H{first}:H{last},F{first}:F{last})", FMT_2)
        nrr = Formula(f"=H{ikm_row}/{ikm.SCALE}", FMT_4)
    else:
        nrr = Formula(f"=SUMPRODUCT(E{first}:E{last},F{first}:F{last})", FMT_4)
        index = Formula(f"=E{ikm_row}*{ikm.SCALE}", FMT_2)
    yield [
        _("IKM"),
        _("Indeks Kepuasan Masyarakat"),
        None,
        None,
        nrr,
        None,
        None,
        index,
        grade.letter if grade else None,
        grade.performance if grade else None,
    ]


def recap_sheet(result: ikm.IkmResult, *, heading: Sequence[tuple[str, object]] = ()) -> Sheet:
    return Sheet(
        title=_("Olah Data"),
        rows=recap_rows(result, heading=heading),
        header_rows=0,
        widths={"A": 18, "B": 32, "C": 13, "D": 15, "E": 9, "F": 9, "G": 16, "H": 9, "I": 15, "J": 14},
    )
