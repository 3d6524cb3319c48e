"""`python manage.py skm_results --from 2025-01-01 --to 2025-06-30 [--service CODE] --format json|table`.

JSON for scripts (decimal point, half-up rounding, exact strings); the table as the
report prints it, for a person (Indonesian decimal comma).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm_portal.numbers import format_decimal, format_int
from surveys import ikm, precision, selectors
from surveys.models import Period, Service


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Tanggal tidak valid: %(value)r. Tulis sebagai TTTT-BB-HH, mis. 2025-01-31.") % {"value": value}
        ) from None


def _fixed(value, places: int) -> str | None:
    return None if value is None else f"{ikm.round_half_up(value, places):.{places}f}"


def as_json(
    result: ikm.IkmResult,
    *,
    date_from: dt.date,
    date_to: dt.date,
    service: Service | None,
    margins: precision.Precision | None = None,
    population: int | None = None,
) -> dict:
    """`margins`: the 95 % margins of error (strings, 2 decimals, half-up; null when none),
    computed with `population` service users (null: no finite-population correction)."""
    grade = result.grade
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "service": service.code if service else None,
        "respondents": result.respondents,
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "answers": e.answers,
                "total": e.total,
                "nrr": _fixed(e.nrr, 4),
                "index": _fixed(e.index, 2),
                "margin": _fixed(margins.element(e.code), 2) if margins is not None else None,
                "grade": e.grade.letter if e.grade else None,
                "performance": e.grade.performance if e.grade else None,
            }
            for e in result.elements
        ],
        "ikm": _fixed(result.ikm, 2),
        "ikm_margin": _fixed(margins.ikm, 2) if margins is not None else None,
        "population": population,
        "grade": grade.letter if grade else None,
        "performance": grade.performance if grade else None,
    }


def population_of(date_from: dt.date, date_to: dt.date, service: Service | None) -> int | None:
    """Service users of the period with exactly these dates (counted per period, not per service)."""
    if service is not None:
        return None
    period = Period.objects.filter(start_date=date_from, end_date=date_to, service_users__isnull=False).first()
    return period.service_users if period is not None else None


def as_table(result: ikm.IkmResult, *, date_from: dt.date, date_to: dt.date, service: Service | None) -> str:
    header = (_("Kode Unsur"), _("Unsur"), _("Index"), _("Mutu Pelayanan"), _("Kinerja"))
    rows = [
        (
            e.code,
            e.name,
            format_decimal(e.index),
            e.grade.letter if e.grade else "-",
            e.grade.performance if e.grade else "-",
        )
        for e in result.elements
    ]
    grade = result.grade
    footer = (_("IKM"), _("Indeks Kepuasan Masyarakat"), format_decimal(result.ikm), grade.letter if grade else "-",
              grade.performance if grade else "-")  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *rows, footer]) for i in range(len(header))]

    def line(cells) -> str:
        parts = [
            str(c).rjust(w) if i == 2 else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    scope = f"{date_from.strftime('%d/%m/%Y')} - {date_to.strftime('%d/%m/%Y')}"
    title = [
        _("Hasil Survei Kepuasan Masyarakat (SKM)"),
        _("Tanggal  : %(scope)s") % {"scope": scope},
        _("Layanan  : %(name)s") % {"name": service.name if service else _("Semua layanan")},
        _("Responden: %(n)s") % {"n": format_int(result.respondents)},
        "",
    ]
    return "\n".join([*title, line(header), rule, *(line(r) for r in rows), rule, line(footer)])


class Command(BaseCommand):
    help = "Hasil SKM (IKM per unsur) untuk rentang tanggal survei, sebagai JSON atau tabel."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="Tanggal awal, TTTT-BB-HH.")
        parser.add_argument("--to", dest="date_to", required=True, help="Tanggal akhir, TTTT-BB-HH.")
        parser.add_argument(
            "--service", default=None, help="Kode (huruf besar/kecil sama) atau nama jenis layanan; kosong: semua."
        )
        parser.add_argument("--format", choices=("json", "table"), default="table", help="json atau table.")
        parser.add_argument(
            "--population",
            type=int,
            default=None,
            help="Jumlah pengguna layanan untuk koreksi populasi terbatas; kosong: dari periode bertanggal sama.",
        )

    def handle(self, *args, date_from: str, date_to: str, service: str | None, format: str, population=None, **options):
        start, end = _date(date_from), _date(date_to)
        if end < start:
            raise CommandError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
        chosen = None
        if service:
            # As the import's `layanan`: a code in any case, or the service's name.
            wanted = service.strip()
            chosen = (
                Service.objects.filter(code=wanted).first()
                or Service.objects.filter(code__iexact=wanted).order_by("pk").first()
                or Service.objects.filter(name__iexact=wanted).order_by("pk").first()
            )
            if chosen is None:
                known = ", ".join(Service.objects.order_by("order", "name").values_list("code", flat=True)) or "-"
                raise CommandError(
                    _("Jenis layanan %(code)r tidak dikenal. Kode yang ada: %(known)s.")
                    % {"code": service, "known": known}
                )
        if population is not None and population < 1:
            raise CommandError(_("Jumlah pengguna layanan harus bilangan bulat positif."))
        result = selectors.response_results(date_from=start, date_to=end, service=chosen)
        if format == "json":
            users = population if population is not None else population_of(start, end, chosen)
            margins = selectors.response_precision(date_from=start, date_to=end, service=chosen, population=users)
            data = as_json(result, date_from=start, date_to=end, service=chosen, margins=margins, population=users)
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(as_table(result, date_from=start, date_to=end, service=chosen))
