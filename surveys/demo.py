"""Demo survey data: the office's services, its 2024 published results (seed Tabel 2.1
and 2.2, to the last digit) and generated raw responses for 2025."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from .models import Period, PublishedElementResult, Questionnaire, Response, Service
from .tallies import tallies_rebuild

SERVICES = [
    ("e-ptsp", "Perizinan dan Non Perizinan (e-PTSP)"),
    ("oss-rba", "Perizinan Berusaha Berbasis Risiko (OSS RBA)"),
    ("pengaduan", "Layanan Pengaduan dan Informasi Perizinan"),
    ("lkpm", "Konsultasi LKPM"),
]

# Where the office's 2024 results came from, as its report's appendix says ("... melalui
# aplikasi https://e-ptsp.kaltimprov.go.id"); never the report that quotes them.
SOURCE = "aplikasi e-PTSP (https://e-ptsp.kaltimprov.go.id)"

# (name, kind, start, end, respondents, table, indices U1..U11)
PUBLISHED_2024 = [
    ("Semester I 2024", Period.Kind.SEMESTER, dt.date(2024, 1, 1), dt.date(2024, 6, 30), 283, "Tabel 2.1",
     ["94.79", "92.05", "85.87", "90.9", "89.14", "93.2", "95.67", "92.85", "96.82", "91.86", "93.02"]),
    ("Triwulan III 2024", Period.Kind.TRIWULAN, dt.date(2024, 7, 1), dt.date(2024, 9, 30), 161, "Tabel 2.2",
     ["94.72", "83.85", "81.52", "97.52", "85.56", "92.86", "93.79", "90.68", "96.59", "95.03", "96.59"]),
]  # fmt: skip

# (name, kind, start, end, service users, respondents to generate, seed)
COMPUTED_2025 = [
    ("Semester I 2025", Period.Kind.SEMESTER, dt.date(2025, 1, 1), dt.date(2025, 6, 30), 1200, 360, 2025_1),
    ("Triwulan III 2025", Period.Kind.TRIWULAN, dt.date(2025, 7, 1), dt.date(2025, 9, 30), 700, 180, 2025_3),
]

# Chance of answers 1-4 per element code; "Waktu Pelayanan" and "Produk Layanan" lag.
DEFAULT_ODDS = (1, 3, 33, 63)
ODDS = {"U3": (3, 12, 50, 35), "U5": (2, 9, 49, 40), "U2": (1, 7, 47, 45)}

SUGGESTIONS = [
    "Mohon waktu penyelesaian izin dipercepat.",
    "Pelayanan sudah baik, petugas ramah.",
    "Informasi persyaratan di website agar lebih lengkap.",
    "Ruang tunggu perlu ditambah kursi.",
    "Notifikasi status berkas lewat e-mail sangat membantu.",
    "Pertahankan pelayanan tanpa pungutan.",
]


def _periods_and_published(questionnaire: Questionnaire) -> None:
    elements = list(questionnaire.elements.all())
    for name, kind, start, end, respondents, _table, indices in PUBLISHED_2024:
        period, _ = Period.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "source": Period.Source.PUBLISHED,
                "published_respondents": respondents,
                "source_note": SOURCE,
                "is_public": True,
            },
        )
        period.published_results.all().delete()
        PublishedElementResult.objects.bulk_create(
            PublishedElementResult(
                period=period, code=e.code, name=e.name, index=Decimal(value), weight=e.weight, order=e.order
            )
            for e, value in zip(elements, indices, strict=True)
        )


def _generated_responses(questionnaire: Questionnaire, services: list[Service]) -> int:
    elements = list(questionnaire.elements.all())
    Response.objects.filter(channel=Response.Channel.DEMO).delete()
    rows = []
    for name, kind, start, end, users, count, seed in COMPUTED_2025:
        Period.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "service_users": users,
                "source": Period.Source.COMPUTED,
                "published_respondents": None,
                "source_note": "",
                "is_public": True,
            },
        )
        rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
        days = (end - start).days
        for _ in range(count):
            response = Response(
                questionnaire=questionnaire,
                service=rng.choices(services, weights=(6, 3, 1, 1))[0],
                survey_date=start + dt.timedelta(days=rng.randint(0, days)),
                channel=Response.Channel.DEMO,
                sex=rng.choice("LLLP"),
                age=rng.choice([None, *range(19, 66)]),
                education=rng.choice(Response.Education.values),
                occupation=rng.choices(Response.Occupation.values, weights=(3, 1, 1, 8, 6, 2))[0],
                suggestion=rng.choice(SUGGESTIONS) if rng.random() < 0.2 else "",
            )
            if response.occupation == Response.Occupation.LAINNYA:
                response.occupation_other = "Konsultan"
            for element in elements:
                score = rng.choices((1, 2, 3, 4), weights=ODDS.get(element.code, DEFAULT_ODDS))[0]
                setattr(response, element.field, score)
            rows.append(response)
    Response.objects.bulk_create(rows, batch_size=500)
    tallies_rebuild()  # the demo replaced rows wholesale: count them again
    return len(rows)


@transaction.atomic
def load() -> str:
    questionnaire = Questionnaire.active()
    services = []
    for position, (code, name) in enumerate(SERVICES, start=1):
        service, _ = Service.objects.update_or_create(code=code, defaults={"name": name, "order": position})
        services.append(service)
    _periods_and_published(questionnaire)
    generated = _generated_responses(questionnaire, services)
    return f"Survei: {len(services)} layanan, {Period.objects.count()} periode, {generated} jawaban demo 2025."
