"""Hostile import files, built part by part, are refused quickly and in bounded memory.

Each file is imported by `manage.py skm_import_responses` in a process of its own (a migrated
SQLite database of its own), whose peak resident memory and CPU time the kernel reports.
The processes are forked, one per file, from one prepared interpreter that has loaded Django
and the command once (a fresh interpreter per file spends most of its time starting up); the
child resets its memory high-water mark when it starts (/proc/self/clear_refs) and its CPU
time starts at zero, so each figure is the child's own work. Time is CPU time (user +
system), not the wall clock: the test machine is shared, and the work a file costs is what
the limits bound.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile_xlsx import good_row, header_row, repeated, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 300
SECONDS = 10
TIMEOUT = 60  # seconds one import may take on the wall clock
RELAXED_RATIO = {"SKM_IMPORT_MAX_RATIO": "100000000"}
# The tests touch no database of their own; the mark makes pytest-django set up this process's test
# database, which the importer's database is copied from (_migrated_copy).
pytestmark = pytest.mark.django_db


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKM_IMPORT_", "DATABASE_URL"))}
    return {**env, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "0", "SECRET_KEY": "hostile-test"}


# The prepared interpreter (not pytest, whose own memory a forked child would carry): Django
# set up with the settings manage.py would use and the command loaded, then one forked child per
# line read (a JSON job), answering one line with the child's exit status.
FORK_SERVER = """
import json, os, resource, sys, traceback
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")  # as manage.py
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
from django.core.management import ManagementUtility, get_commands, load_command_class
load_command_class(get_commands()["skm_import_responses"], "skm_import_responses")
print("ready", flush=True)

def child(job):
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the high-water mark starts again at this process's own size
    err = os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(err, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    # As settings.py reads them from the environment (the unzipped limit follows the file limit).
    limits = {name: int(value) for name, value in job["limits"].items()}
    if "SKM_IMPORT_MAX_BYTES" in limits:
        limits.setdefault("SKM_IMPORT_MAX_UNZIPPED_BYTES", 20 * limits["SKM_IMPORT_MAX_BYTES"])
    for name, value in limits.items():
        setattr(settings, name, value)
    code = 0
    try:
        ManagementUtility(["manage.py", "skm_import_responses", job["path"]]).execute()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(job["usage"], "w") as out:
        json.dump({"peak_kb": peak_kb, "cpu": usage.ru_utime + usage.ru_stime}, out)
    return code

for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = child(job)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)
"""


class Importer:
    """The prepared interpreter of one module's tests, on its own migrated database."""

    def __init__(self, database: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER],
            cwd=ROOT,
            env=_env(database),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(TIMEOUT):
                self.process.kill()
                raise TimeoutError(f"no answer from the import process within {TIMEOUT} s")
        return self.process.stdout.readline().strip()

    def run(self, path: Path, **limits: str) -> tuple[int, str, float, float]:
        """(exit status, stderr, CPU seconds, peak MB) of the import command on `path`."""
        err, usage_file = path.with_suffix(".err"), path.with_suffix(".rusage")
        job = {"path": str(path), "err": str(err), "usage": str(usage_file), "limits": limits}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        status = json.loads(self._line())["status"]
        usage = json.loads(usage_file.read_text())
        return status, err.read_text(), usage["cpu"], usage["peak_kb"] / 1024

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=TIMEOUT)


def _migrated_copy(database: Path) -> None:
    """A migrated SQLite database at `database`: on SQLite, a copy of this process's own migrated
    test database with the rows a fresh `migrate` leaves (VACUUM INTO, instant); otherwise
    `manage.py migrate` in a process of its own (some 10 s)."""
    from django.db import connection

    from tests.shared_pdfs import baseline_rows

    if connection.vendor != "sqlite":
        env = _env(database)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
        return
    baseline_rows()  # a transactional test that ran before emptied every table
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])


@pytest.fixture(scope="module")
def importer(tmp_path_factory, django_db_setup, django_db_blocker):
    folder = tmp_path_factory.mktemp("hostile-db")
    with django_db_blocker.unblock():
        _migrated_copy(folder / "db.sqlite3")
    running = Importer(folder / "db.sqlite3")
    yield running
    running.close()


HOSTILE = {
    # The 2 KB file: cells at column AAAAAA (3.8 GB before it failed).
    "kolom-AAAAAA": (
        lambda: [header_row(), good_row(2, '<c r="AAAAAA2"><v>1</v></c>'), good_row(3, '<c r="AAAAAA3"><v>1</v></c>')],
        None,
        [({}, "di luar kolom terakhir Excel")],
    ),
    "isian-di-kolom-XFD": (
        lambda: [header_row(), good_row(2, '<c r="XFD2"><v>7</v></c>')],
        None,
        [({}, "Baris 2: ada isian di kolom XFD, di luar kolom tabel (A-S)")],
    ),
    "sejuta-sel-tanpa-alamat": (
        lambda: [header_row(), '<row r="2">', *repeated("<c><v>1</v></c>", 1_000_000), "</row>"],
        None,
        [(RELAXED_RATIO, "di luar kolom tabel")],
    ),
    # The 900 KB file: twenty million tiny shared strings (1.5 GB in a web worker):
    # refused for their number where the ratio is relaxed, as a zip bomb under the default limits.
    "20-juta-teks-bersama": (
        lambda: [header_row()],
        lambda: repeated("<si><t>a</t></si>", 20_000_000),
        [(RELAXED_RATIO, "terlalu banyak teks berbeda"), ({}, "ciri bom zip")],
    ),
    # 200 MB of spaces: a zip bomb under the default limits, too big once opened under a lower
    # limit on the unzipped size where the ratio is relaxed.
    "200-MB-spasi": (
        lambda: [header_row(), *repeated(b" ", 200 * 1024 * 1024, per_chunk=1 << 20)],
        None,
        [
            ({}, "ciri bom zip"),
            (
                {**RELAXED_RATIO, "SKM_IMPORT_MAX_UNZIPPED_BYTES": str(100 * 1024 * 1024)},
                "terlalu besar setelah dibuka",
            ),
        ],
    ),
    "3-juta-baris-kosong": (
        lambda: [header_row(), *repeated("<row/>", 3_000_000)],
        None,
        [(RELAXED_RATIO, "Lembar berisi lebih dari 260.001 baris")],
    ),
    "1,5-juta-baris-berformat-kosong": (
        lambda: [header_row(), *repeated('<row><c s="1"/><c r="T9" s="1"/></row>', 1_500_000)],
        None,
        [(RELAXED_RATIO, "Lembar berisi lebih dari 260.001 baris")],
    ),
    "teks-sel-200-MB": (
        lambda: [
            header_row(),
            '<row r="2"><c r="S2" t="inlineStr"><is><t>',
            *repeated(b"a", 200 * 1024 * 1024, per_chunk=1 << 20),
            "</t></is></c></row>",
        ],
        None,
        [(RELAXED_RATIO, "lebih dari 32.767 karakter")],
    ),
    "teks-bersama-200-MB": (
        lambda: [header_row()],
        lambda: ["<si><t>", *repeated(b"a", 200 * 1024 * 1024, per_chunk=1 << 20), "</t></si>"],
        [(RELAXED_RATIO, "lebih dari 32.767 karakter")],
    ),
    "baris-melebihi-batas-admin": (
        lambda: [header_row(), *(good_row(n) for n in range(2, 60))],
        None,
        [({"SKM_IMPORT_MAX_ROWS": "50"}, "lebih dari 50 baris data")],
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_is_refused_quickly_in_bounded_memory(name, importer, tmp_path):
    sheet, shared, refusals = HOSTILE[name]
    path = write_xlsx(tmp_path / f"{name}.xlsx", sheet(), shared_strings=shared() if shared else None)
    for env, message in refusals:  # the same file under each set of limits
        status, stderr, seconds, peak_mb = importer.run(path, **env)
        assert status == 1, stderr
        assert message in stderr
        assert "tidak ada data yang disimpan" in stderr
        assert seconds < SECONDS, f"{name} {env}: {seconds:.1f} s"
        assert peak_mb < PEAK_MB, f"{name} {env}: {peak_mb:.0f} MB"


def test_zip_with_thousands_of_parts_is_refused_before_reading_them(importer, tmp_path):
    path = write_xlsx(tmp_path / "bagian.xlsx", [header_row(), good_row(2)], extra_entries=5000)
    status, stderr, seconds, peak_mb = importer.run(path)
    assert status == 1
    assert "terlalu banyak bagian (5.005)" in stderr
    assert seconds < SECONDS and peak_mb < PEAK_MB


def test_file_larger_than_the_administrators_limit_is_refused_unread(importer, tmp_path):
    path = write_xlsx(tmp_path / "besar.xlsx", [header_row(), *(good_row(n) for n in range(2, 2000))], level=0)
    assert path.stat().st_size > 1024 * 1024
    status, stderr, _, _ = importer.run(path, SKM_IMPORT_MAX_BYTES=str(1024 * 1024))
    assert status == 1
    assert "Berkas terlalu besar (maksimal 1 MB)" in stderr
