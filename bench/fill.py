"""Fill a benchmark database with survey responses, fast, then count them into the tallies.

Rows are generated inside PostgreSQL (one INSERT ... SELECT from generate_series per
million rows: no per-row round trip, as fast as COPY), spread evenly over the days from
`first_day` and over the active services, with profile values and saran on some rows.
The tallies are then built by the real command, `manage.py skm_tallies_rebuild`, as an
operator would after a bulk load. Uses psycopg2 directly: no Django setup needed.
"""

from __future__ import annotations

import os
import subprocess

import psycopg2

from bench.common import PYTHON, ROOT

CHUNK = 1_000_000


def fill_responses(url: str, rows: int, *, start: int = 0, first_day: str = "2024-01-01", days: int = 366) -> None:
    """Responses start+1 .. start+rows on the active questionnaire, then ANALYZE."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT id FROM surveys_questionnaire WHERE is_active")
            (questionnaire_id,) = cursor.fetchone()
            cursor.execute(
                "SELECT slot FROM surveys_element WHERE questionnaire_id = %s ORDER BY slot", [questionnaire_id]
            )
            slots = [f"s{slot:02d}" for (slot,) in cursor.fetchall()]
            cursor.execute("SELECT id FROM surveys_service WHERE is_active ORDER BY id")
            services = [pk for (pk,) in cursor.fetchall()]
            if not services:
                for position, code in enumerate(("e-ptsp", "oss-rba", "pengaduan", "lkpm"), start=1):
                    cursor.execute(
                        'INSERT INTO surveys_service (code, name, is_active, "order") VALUES (%s, %s, true, %s) '
                        "RETURNING id",
                        [code, f"Layanan {code}", position],
                    )
                    services.append(cursor.fetchone()[0])
            scores = ", ".join(
                f"1 + ((g * {7 + 2 * i}) %% 4)" if i % 3 else "1 + floor(random() * 4)::int" for i in range(len(slots))
            )
            for low in range(start + 1, start + rows + 1, CHUNK):
                high = min(low + CHUNK - 1, start + rows)
                cursor.execute(
                    f"""
                    INSERT INTO surveys_response (
                        questionnaire_id, service_id, survey_date, submitted_at, channel, sex, age,
                        education, occupation, occupation_other, suggestion, source_id, {", ".join(slots)}
                    )
                    SELECT %s,
                           (%s::bigint[])[1 + (g %% %s)::int],
                           DATE %s + (g %% %s)::int,
                           TIMESTAMPTZ '2024-01-01 08:00+08',
                           'import',
                           CASE WHEN g %% 3 = 0 THEN 'P' ELSE 'L' END,
                           CASE WHEN g %% 7 = 0 THEN NULL ELSE 18 + (g %% 50) END,
                           (ARRAY['SD','SMP','SMA','D1-D3','D4/S1','S2','S3',''])[1 + (g %% 8)::int],
                           (ARRAY['PNS','TNI','POLRI','SWASTA','WIRAUSAHA','LAINNYA',''])[1 + (g %% 7)::int],
                           '',
                           CASE WHEN g %% 10 = 0 THEN 'Saran ' || g ELSE '' END,
                           '',
                           {scores}
                    FROM generate_series(%s, %s) AS g
                    """,
                    [questionnaire_id, services, len(services), first_day, days, low, high],
                )
            cursor.execute("ANALYZE surveys_response")
    finally:
        conn.close()


def rebuild_tallies(url: str, env: dict | None = None) -> str:
    """`manage.py skm_tallies_rebuild` against `url`; returns what it printed."""
    done = subprocess.run(
        [PYTHON, "manage.py", "skm_tallies_rebuild"],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    )
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE surveys_responsetally")
    finally:
        conn.close()
    return done.stdout
