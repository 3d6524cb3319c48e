"""Hostile import files, built part by part, are refused quickly and in bounded memory.

Each file is imported by `manage.py skm_import_responses` in a child process (a migrated
SQLite database of its own), whose peak resident memory and CPU time the kernel reports
(getrusage in the child). Time is the child's CPU time (user + system), not the wall clock: the test
machine is shared, and the work a file costs is what the limits bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile_xlsx import good_row, header_row, repeated, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 300
SECONDS = 10
RELAXED_RATIO = {"SKM_IMPORT_MAX_RATIO": "100000000"}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-db")
    env = _env(folder / "db.sqlite3")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    return folder / "db.sqlite3"


def _env(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKM_IMPORT_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "0", "SECRET_KEY": "hostile-test", **extra}


# The command runs in this interpreter, which writes its own peak memory and CPU time when
# it exits. Started through /bin/sh, which forks it: a process's peak RSS survives exec,
# and a child started straight from pytest would carry pytest's own (hundreds of MB).
MEASURED = """
import atexit, json, os, resource, runpy, sys
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["SKM_TEST_RUSAGE"], "w") as out:
        json.dump({"peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, out)
atexit.register(report)
sys.argv = sys.argv[1:]
runpy.run_path("manage.py", run_name="__main__")
"""


def run_import(database: Path, path: Path, **extra: str) -> tuple[int, str, float, float]:
    """(exit status, stderr, CPU seconds, peak MB) of the import command on `path`."""
    err, usage_file = path.with_suffix(".err"), path.with_suffix(".rusage")
    command = [sys.executable, "-c", MEASURED, "manage.py", "skm_import_responses", str(path)]
    with open(err, "wb") as stderr:
        done = subprocess.run(
            ["/bin/sh", "-c", '"$@"; exit $?', "sh", *command],
            cwd=ROOT,
            env=_env(database, SKM_TEST_RUSAGE=str(usage_file), **extra),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=60,
        )
    usage = json.loads(usage_file.read_text())
    return done.returncode, err.read_text(), usage["cpu"], usage["peak_kb"] / 1024


HOSTILE = {
    # The 2 KB file: cells at column AAAAAA (3.8 GB before it failed).
    "kolom-AAAAAA": (
        lambda: [header_row(), good_row(2, '<c r="AAAAAA2"><v>1</v></c>'), good_row(3, '<c r="AAAAAA3"><v>1</v></c>')],
        None,
        {},
        "di luar kolom terakhir Excel",
    ),
    "isian-di-kolom-XFD": (
        lambda: [header_row(), good_row(2, '<c r="XFD2"><v>7</v></c>')],
        None,
        {},
        "Baris 2: ada isian di kolom XFD, di luar kolom tabel (A-S)",
    ),
    "sejuta-sel-tanpa-alamat": (
        lambda: [header_row(), '<row r="2">', *repeated("<c><v>1</v></c>", 1_000_000), "</row>"],
        None,
        RELAXED_RATIO,
        "di luar kolom tabel",
    ),
    # The 900 KB file: twenty million tiny shared strings (1.5 GB in a web worker).
    "20-juta-teks-bersama": (
        lambda: [header_row()],
        lambda: repeated("<si><t>a</t></si>", 20_000_000),
        RELAXED_RATIO,
        "terlalu banyak teks berbeda",
    ),
    "20-juta-teks-bersama-batas-bawaan": (
        lambda: [header_row()],
        lambda: repeated("<si><t>a</t></si>", 20_000_000),
        {},
        "ciri bom zip",
    ),
    "bom-zip-200-MB-spasi": (
        lambda: [header_row(), *repeated(b" ", 200 * 1024 * 1024, per_chunk=1 << 20)],
        None,
        {},
        "ciri bom zip",
    ),
    "lembar-melebihi-batas-ukuran": (
        lambda: [header_row(), *repeated(b" ", 200 * 1024 * 1024, per_chunk=1 << 20)],
        None,
        {**RELAXED_RATIO, "SKM_IMPORT_MAX_UNZIPPED_BYTES": str(100 * 1024 * 1024)},
        "terlalu besar setelah dibuka",
    ),
    "3-juta-baris-kosong": (
        lambda: [header_row(), *repeated("<row/>", 3_000_000)],
        None,
        RELAXED_RATIO,
        "Lembar berisi lebih dari 260.001 baris",
    ),
    "1,5-juta-baris-berformat-kosong": (
        lambda: [header_row(), *repeated('<row><c s="1"/><c r="T9" s="1"/></row>', 1_500_000)],
        None,
        RELAXED_RATIO,
        "Lembar berisi lebih dari 260.001 baris",
    ),
    "teks-sel-200-MB": (
        lambda: [
            header_row(),
            '<row r="2"><c r="S2" t="inlineStr"><is><t>',
            *repeated(b"a", 200 * 1024 * 1024, per_chunk=1 << 20),
            "</t></is></c></row>",
        ],
        None,
        RELAXED_RATIO,
        "lebih dari 32.767 karakter",
    ),
    "teks-bersama-200-MB": (
        lambda: [header_row()],
        lambda: ["<si><t>", *repeated(b"a", 200 * 1024 * 1024, per_chunk=1 << 20), "</t></si>"],
        RELAXED_RATIO,
        "lebih dari 32.767 karakter",
    ),
    "baris-melebihi-batas-admin": (
        lambda: [header_row(), *(good_row(n) for n in range(2, 60))],
        None,
        {"SKM_IMPORT_MAX_ROWS": "50"},
        "lebih dari 50 baris data",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_quickly_in_bounded_memory(name, database, tmp_path):
    sheet, shared, env, message = HOSTILE[name]
    path = write_xlsx(tmp_path / f"{name}.xlsx", sheet(), shared_strings=shared() if shared else None)
    status, stderr, seconds, peak_mb = run_import(database, path, **env)
    assert status == 1, stderr
    assert message in stderr
    assert "tidak ada data yang disimpan" in stderr
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert peak_mb < PEAK_MB, f"{name}: {peak_mb:.0f} MB"


def test_zip_with_thousands_of_parts_is_refused_before_reading_them(database, tmp_path):
    path = write_xlsx(tmp_path / "bagian.xlsx", [header_row(), good_row(2)], extra_entries=5000)
    status, stderr, seconds, peak_mb = run_import(database, path)
    assert status == 1
    assert "terlalu banyak bagian (5.005)" in stderr
    assert seconds < SECONDS and peak_mb < PEAK_MB


def test_file_larger_than_the_administrators_limit_is_refused_unread(database, tmp_path):
    path = write_xlsx(tmp_path / "besar.xlsx", [header_row(), *(good_row(n) for n in range(2, 2000))], level=0)
    assert path.stat().st_size > 1024 * 1024
    status, stderr, _, _ = run_import(database, path, SKM_IMPORT_MAX_BYTES=str(1024 * 1024))
    assert status == 1
    assert "Berkas terlalu besar (maksimal 1 MB)" in stderr
