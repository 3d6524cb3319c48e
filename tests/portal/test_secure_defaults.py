"""DEBUG is on only when asked for; without it the web app and the task workers refuse to start
without SECRET_KEY, while commands that sign nothing still run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ_DEBUG = (
    "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'skm_portal.settings'; "
    "from django.conf import settings; print(settings.DEBUG)"
)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return env | extra


def _python(code: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_clean_env(**extra), capture_output=True, text=True, timeout=60
    )


def test_without_any_debug_variable_debug_is_off():
    done = _python(READ_DEBUG, SECRET_KEY="test-only-" + "x" * 50)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_debug_the_app_refuses_to_start_without_a_secret_key():
    done = _python("import skm_portal.wsgi")
    assert done.returncode != 0
    assert "SECRET_KEY wajib diisi" in done.stderr
    # Nothing falls back to a known key: anything that signs refuses the empty one.
    done = _python(READ_DEBUG.replace("settings.DEBUG", "settings.SECRET_KEY"))
    assert done.returncode != 0
    assert "SECRET_KEY setting must not be empty" in done.stderr


def _manage(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_clean_env(**extra), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("command", "backend"), [(["db_worker", "--batch"], "database"), (["rqworker", "--burst", "default"], "rq")]
)
def test_without_debug_a_task_worker_refuses_to_start_without_a_secret_key(command, backend, tmp_path):
    database = f"sqlite:///{tmp_path / 'kosong.sqlite3'}"  # never migrated: a worker that starts fails on it
    done = _manage(*command, TASKS_BACKEND=backend, DATABASE_URL=database)
    assert done.returncode != 0
    assert "SECRET_KEY wajib diisi" in done.stderr
    assert "no such table" not in done.stderr  # refused before it looked for any work


def test_with_a_key_the_database_worker_starts(tmp_path):
    database = f"sqlite:///{tmp_path / 'kosong.sqlite3'}"
    done = _manage("db_worker", "--batch", SECRET_KEY="test-only-" + "x" * 50, DATABASE_URL=database)
    assert "SECRET_KEY wajib diisi" not in done.stderr
    assert "no such table: django_tasks_database_dbtaskresult" in done.stderr  # it went to fetch its tasks


def test_without_debug_or_a_key_the_migrations_check_still_runs():
    done = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=_clean_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout


def test_django_debug_1_turns_debug_on_for_local_use():
    done = _python(READ_DEBUG, DJANGO_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
