"""Shared pieces of the benchmarks: the figure they report and a throwaway PostgreSQL db."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Benchmarks run the local profile unless a measurement sets production variables itself
# (DEBUG is off unless DJANGO_DEBUG=1; production needs SECRET_KEY).
os.environ.setdefault("DJANGO_DEBUG", "1")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "port": os.environ.get("PGPORT", "5432"),
      "user": os.environ.get("PGUSER", "postgres")}  # fmt: skip


@dataclass
class Figure:
    name: str  # what was measured
    value: float  # seconds, or per second (see unit)
    unit: str  # "s" or "/s"
    baseline_name: str
    baseline_value: float
    target_ratio: float | None = None  # e.g. 1.5: value must be within 1.5x of the baseline
    target_absolute: str = ""  # e.g. "< 1 s"
    absolute_ok: bool | None = None

    @property
    def ratio(self) -> float:
        # Always "how many times worse than the baseline": time / baseline time,
        # or baseline rate / rate.
        if self.unit == "/s":
            return self.baseline_value / self.value if self.value else float("inf")
        return self.value / self.baseline_value if self.baseline_value else float("inf")

    @property
    def ratio_ok(self) -> bool | None:
        return None if self.target_ratio is None else self.ratio <= self.target_ratio

    @property
    def has_goal(self) -> bool:
        return self.target_ratio is not None or self.absolute_ok is not None

    @property
    def ok(self) -> bool:
        """Every goal the figure states is met. A figure without a goal proves nothing,
        so it is not ok either (bench/run.py then exits non-zero)."""
        return self.has_goal and self.ratio_ok is not False and self.absolute_ok is not False


@contextlib.contextmanager
def throwaway_postgres():
    """Yield a DATABASE_URL of a new, migrated PostgreSQL database; drop it afterwards."""
    name = f"skm_bench_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PGHOST": PG["host"], "PGPORT": PG["port"], "PGUSER": PG["user"]}
    subprocess.run(["createdb", name], check=True, env=env)
    url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env={**env, "DATABASE_URL": url})
        yield url
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", name], check=False, env=env)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def best_of(run, runs: int) -> float:
    """The best time of `runs` calls of `run`, after one warm-up call (fonts, templates,
    caches, query plans)."""
    run()
    best = float("inf")
    for _ in range(runs):
        with Timer() as timer:
            run()
        best = min(best, timer.seconds)
    return best


class kept_postgres:
    """Like throwaway_postgres, but the database `name` is kept for the next run (migrated
    on each use): a benchmark that fills millions of rows reuses them. `marker` names what
    the fill put in; it is recorded as the database's comment once the fill is done
    (`mark_filled`). A kept database with another marker, or a fill that stopped half-way,
    is dropped and made afresh, and `reused` is False. Drop it by hand with `dropdb name`."""

    def __init__(self, name: str, marker: str):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"BENCH_KEEP_DB: a plain database name, not {name!r}")
        self.name, self.marker, self.reused = name, marker, False
        self.url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
        self._env = {**os.environ, "PGHOST": PG["host"], "PGPORT": PG["port"], "PGUSER": PG["user"]}

    def _psql(self, sql: str) -> str:
        done = subprocess.run(
            ["psql", "-Atqc", sql, "postgres"], check=True, env=self._env, capture_output=True, text=True
        )
        return done.stdout.strip()

    def __enter__(self) -> str:
        comment = self._psql(
            f"SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '{self.name}'"
        )
        self.reused = comment == f"bench-filled:{self.marker}"
        if not self.reused:
            subprocess.run(["dropdb", "--if-exists", "--force", self.name], check=True, env=self._env)
            subprocess.run(["createdb", self.name], check=True, env=self._env)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env={**self._env, "DATABASE_URL": self.url}
        )
        return self.url

    def mark_filled(self) -> None:
        self._psql(f"COMMENT ON DATABASE \"{self.name}\" IS 'bench-filled:{self.marker}'")

    def __exit__(self, *exc):
        return None
