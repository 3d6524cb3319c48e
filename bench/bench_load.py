"""The bounded load test as a figure for `bench/run.py`: mixed survey submissions and
results pages through gunicorn (production settings, 2 workers), against a static file
served by the same server and clients. The figure only holds with zero error responses
and zero lost submissions. See bench/load_test.py; `make load` runs it alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure
from bench.load_test import own_server, report, run_load, static_throughput

SECONDS = 20
CLIENTS = 8


def measure() -> list[Figure]:
    with own_server(workers=2, threads=4) as base_url:
        baseline = static_throughput(base_url, SECONDS / 2, CLIENTS)
        result = run_load(base_url, SECONDS, CLIENTS, max_requests=50_000)
    report(result, CLIENTS)
    return [
        Figure(
            name=f"Mixed load: submissions + results pages ({CLIENTS} clients, gunicorn 2 workers)",
            value=result.throughput,
            unit="/s",
            baseline_name="one static file through the same gunicorn and clients",
            baseline_value=baseline,
            target_absolute="0 errors, 0 lost",
            absolute_ok=result.ok,
        )
    ]


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name}: {figure.value:,.1f}/s; baseline {figure.baseline_value:,.1f}/s; {figure.ratio:.1f}x")
