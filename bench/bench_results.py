"""Results over a year of 1,000,000 responses: `selectors.response_results` vs bare SQL.

The parent creates a throwaway PostgreSQL database and runs the measuring part in a
child process with DATABASE_URL set (Django reads it once, at setup). The child fills the
table with one INSERT ... SELECT from generate_series, ANALYZEs, then times the
selector and the single aggregate SELECT the numbers need, best of a few runs after a
warm-up each.

Run alone: `.venv/bin/python bench/bench_results.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Figure, Timer, throwaway_postgres

ROWS = 1_000_000
RUNS = 5
YEAR_START = "2024-01-01"
YEAR_END = "2024-12-31"


def _fill(cursor, rows: int) -> None:
    from surveys.models import Questionnaire, Service

    questionnaire = Questionnaire.active()
    for position, code in enumerate(("e-ptsp", "oss-rba", "pengaduan", "lkpm"), start=1):
        Service.objects.get_or_create(code=code, defaults={"name": f"Layanan {code}", "order": position})
    service_ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    slots = [e.field for e in questionnaire.elements.all()]
    scores = ", ".join("1 + floor(random() * 4)::int" for _ in slots)
    cursor.execute(
        f"""
        INSERT INTO surveys_response (
            questionnaire_id, service_id, survey_date, submitted_at, channel, sex, age,
            education, occupation, occupation_other, suggestion, {", ".join(slots)}
        )
        SELECT %s,
               (%s::bigint[])[1 + (g %% %s)::int],
               DATE %s + (g %% 366)::int,
               TIMESTAMPTZ '2024-01-01 08:00+08' + (g %% 366) * INTERVAL '1 day',
               'import',
               CASE WHEN g %% 3 = 0 THEN 'P' ELSE 'L' END,
               CASE WHEN g %% 7 = 0 THEN NULL ELSE 18 + (g %% 50) END,
               'SMA', 'SWASTA', '',
               CASE WHEN g %% 10 = 0 THEN 'Saran ' || g ELSE '' END,
               {scores}
        FROM generate_series(1, %s) AS g
        """,
        [questionnaire.pk, service_ids, len(service_ids), YEAR_START, rows],
    )
    cursor.execute("ANALYZE surveys_response")


def _best(run, runs: int = RUNS) -> float:
    run()  # warm-up: caches, plans
    best = float("inf")
    for _ in range(runs):
        with Timer() as timer:
            run()
        best = min(best, timer.seconds)
    return best


def child(rows: int) -> dict:
    import datetime as dt
    from fractions import Fraction

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    from django.db import connection

    from surveys import selectors
    from surveys.models import Questionnaire

    with connection.cursor() as cursor, Timer() as fill:
        _fill(cursor, rows)
    start, end = dt.date.fromisoformat(YEAR_START), dt.date.fromisoformat(YEAR_END)
    slots = [e.field for e in Questionnaire.active().elements.all()]
    aggregate = ", ".join(f"SUM({s}), COUNT({s})" for s in slots)
    sql = f"SELECT COUNT(*), {aggregate} FROM surveys_response WHERE survey_date BETWEEN %s AND %s"
    bare_row: list = []

    def bare() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [start, end])
            bare_row[:] = cursor.fetchone()

    result_box: list = []

    def selector() -> None:
        result_box[:] = [selectors.response_results(date_from=start, date_to=end)]

    bare_s = _best(bare)
    selector_s = _best(selector)
    result = result_box[0]
    # Same numbers both ways, or the comparison means nothing.
    assert result.respondents == bare_row[0] == rows
    for position, element in enumerate(result.elements):
        assert element.total == bare_row[1 + 2 * position]
        assert element.answers == bare_row[2 + 2 * position]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, [start, end])
        plan = "\n".join(r[0] for r in cursor.fetchall())
    return {
        "fill_s": fill.seconds,
        "bare_s": bare_s,
        "selector_s": selector_s,
        "ikm": str(result.ikm.limit_denominator(10**6) if isinstance(result.ikm, Fraction) else result.ikm),
        "plan": plan,
    }


def measure(rows: int = ROWS) -> list[Figure]:
    with throwaway_postgres() as url:
        output = subprocess.run(
            [PYTHON, str(Path(__file__).resolve()), "--child", str(rows)],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return [
        Figure(
            name=f"selectors.response_results, {rows:,} jawaban, 1 tahun",
            value=data["selector_s"],
            unit="s",
            baseline_name="SELECT COUNT/SUM/COUNT per unsur (SQL langsung)",
            baseline_value=data["bare_s"],
            target_ratio=1.5,
            target_absolute="< 1 s",
            absolute_ok=data["selector_s"] < 1.0,
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        data = child(int(sys.argv[2]))
        print(data.pop("plan"), file=sys.stderr)
        print(json.dumps(data))
    else:
        for figure in measure():
            print(
                f"{figure.name}: {figure.value:.3f} {figure.unit} | {figure.baseline_name}: "
                f"{figure.baseline_value:.3f} {figure.unit} | rasio {figure.ratio:.2f} "
                f"(target <= {figure.target_ratio}, ok={figure.ratio_ok}) | {figure.target_absolute} ok={figure.absolute_ok}"
            )
