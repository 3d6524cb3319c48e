"""The bounded load test as a figure for `bench/run.py`: mixed survey submissions and
results pages through gunicorn (production settings, 2 workers) at 16 clients, on a
database of RESPONSES generated responses (tallied by the rebuild command), the officers
asking for the range that holds them; against a static file served by the same server
and clients. The figure holds only with zero error responses, zero lost submissions and
a 95th-percentile latency under 500 ms. See bench/load_test.py; `make load` runs it alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure
from bench.load_test import _percentile, own_server, report, run_load, staff_range_path, static_throughput

SECONDS = 20
CLIENTS = 16
RESPONSES = int(os.environ.get("BENCH_LOAD_RESPONSES", 1_000_000))
P95_GOAL = 0.500


def measure() -> list[Figure]:
    with own_server(workers=2, threads=4, responses=RESPONSES) as base_url:
        baseline = static_throughput(base_url, SECONDS / 2, CLIENTS)
        result = run_load(base_url, SECONDS, CLIENTS, max_requests=50_000, staff_path=staff_range_path())
    report(result, CLIENTS)
    p95 = _percentile([v for values in result.latencies.values() for v in values], 95)
    print(f"  p95 over all requests: {p95 * 1000:.0f} ms (goal < {P95_GOAL * 1000:.0f} ms)")
    return [
        Figure(
            name=f"Mixed load, {RESPONSES:,} jawaban ({CLIENTS} clients, gunicorn 2 workers)",
            value=result.throughput,
            unit="/s",
            baseline_name="one static file through the same gunicorn and clients",
            baseline_value=baseline,
            target_absolute="0 err/lost, p95<500ms",
            absolute_ok=result.ok and p95 < P95_GOAL,
        )
    ]


if __name__ == "__main__":
    for figure in measure():
        print(f"{figure.name}: {figure.value:,.1f}/s; baseline {figure.baseline_value:,.1f}/s; {figure.ratio:.1f}x")
