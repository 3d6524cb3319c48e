"""Margins of error over a year of 1,000,000 responses: `selectors.response_statistics`
(the rows-based statistics: sums of squares per element and per respondent) against
`selectors.response_results` (sums and counts) on the same table.

Same throwaway PostgreSQL database and fill as bench_results.py. The statistics need two
scans (per element, and the weighted totals per respondent), so the target is within 3x of
the results and under 2 s absolute; the exact tallies (issue 12's other helper) can replace
the scan later.

Run alone: `.venv/bin/python bench/bench_precision.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Figure, Timer, best_of, throwaway_postgres
from bench.fill import fill_responses

ROWS = 1_000_000
RUNS = 3
YEAR_START, YEAR_END = "2024-01-01", "2024-12-31"


def _best(run) -> float:
    return best_of(run, RUNS)


def child(rows: int) -> dict:
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")
    django.setup()
    from surveys import selectors

    with Timer() as fill:
        fill_responses(os.environ["DATABASE_URL"], rows, first_day=YEAR_START)
    bounds = {"date_from": dt.date.fromisoformat(YEAR_START), "date_to": dt.date.fromisoformat(YEAR_END)}
    box: list = []
    results_s = _best(lambda: selectors.response_results(**bounds))
    statistics_s = _best(lambda: box.__setitem__(slice(None), [selectors.response_precision(**bounds)]))
    return {"fill_s": fill.seconds, "results_s": results_s, "statistics_s": statistics_s, "ikm_margin": str(box[0].ikm)}


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
            name=f"selectors.response_precision (margin galat), {rows:,} jawaban, 1 tahun",
            value=data["statistics_s"],
            unit="s",
            baseline_name="selectors.response_results (IKM)",
            baseline_value=data["results_s"],
            target_ratio=3.0,
            target_absolute="< 2 s",
            absolute_ok=data["statistics_s"] < 2.0,
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        for figure in measure(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
            print(
                f"{figure.name}: {figure.value:.3f} {figure.unit} | {figure.baseline_name}: "
                f"{figure.baseline_value:.3f} {figure.unit} | rasio {figure.ratio:.2f} "
                f"(target <= {figure.target_ratio}, ok={figure.ratio_ok}) | {figure.target_absolute} ok={figure.absolute_ok}"
            )
