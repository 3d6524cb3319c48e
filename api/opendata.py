"""Open data: a public period's published results per period and service, JSON and CSV.

The same figures as the public results page (selectors + summary), with the metadata an
open-data portal asks for: title, producer, period, unit, licence. Numbers are strings
with a decimal point and 2 (NRR 4) decimals rounded half-up, as `skm_results --format json`.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from skm_portal.models import OfficeProfile
from surveys import ikm, selectors
from surveys.models import Period, Service

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
CSV_HEADER = ("kode_unsur", "unsur", "jawaban", "nrr", "indeks", "margin_galat_95", "mutu", "kinerja")


def _fixed(value, places: int = 2) -> str | None:
    return None if value is None else f"{ikm.round_half_up(value, places):.{places}f}"


def public_periods():
    return Period.objects.filter(is_public=True).order_by("-start_date", "-end_date", "-pk")


def period_data(period: Period, service: Service | None = None) -> dict:
    """Metadata and results of one public period (all services or one)."""
    result = selectors.period_results(period, service)
    margins = selectors.period_precision(period, service)
    office = OfficeProfile.get()
    grade = result.grade
    return {
        "metadata": {
            "title": _("Hasil Survei Kepuasan Masyarakat (SKM) %(period)s") % {"period": period.name},
            "producer": office.name,
            "period": {"name": period.name, "start": period.start_date.isoformat(), "end": period.end_date.isoformat()},
            "service": None if service is None else {"code": service.code, "name": service.name},
            "unit": _("indeks 25-100 (NRR x 25); NRR skala 1-4; margin galat 95 % dalam poin indeks"),
            "source": period.get_source_display(),
            "source_note": period.source_note,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        },
        "respondents": result.respondents,
        "published_aggregate": result.published,
        "ikm": _fixed(result.ikm),
        "ikm_margin": _fixed(margins.ikm) if margins is not None else None,
        "grade": grade.letter if grade else None,
        "performance": grade.performance if grade else None,
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "answers": e.answers,
                "nrr": _fixed(e.nrr, 4),
                "index": _fixed(e.index),
                "margin": _fixed(margins.element(e.code)) if margins is not None else None,
                "grade": e.grade.letter if e.grade else None,
                "performance": e.grade.performance if e.grade else None,
            }
            for e in result.elements
        ],
    }


def period_csv(data: dict) -> str:
    """The results as CSV (UTF-8, comma-separated); the metadata in leading `#` lines."""
    meta = data["metadata"]
    out = io.StringIO()
    for key in ("title", "producer", "unit", "licence"):
        out.write(f"# {key}: {meta[key]}\n")
    out.write(f"# period: {meta['period']['name']} ({meta['period']['start']} - {meta['period']['end']})\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in data["elements"]:
        writer.writerow(
            [e["code"], e["name"], e["answers"] if e["answers"] is not None else "", e["nrr"] or "", e["index"] or "",
             e["margin"] or "", e["grade"] or "", e["performance"] or ""]
        )  # fmt: skip
    writer.writerow(
        ["IKM", _("Indeks Kepuasan Masyarakat"), data["respondents"], "", data["ikm"] or "", data["ikm_margin"] or "",
         data["grade"] or "", data["performance"] or ""]
    )  # fmt: skip
    return out.getvalue()
