"""DEBUG is on only when asked for; without it the app refuses to start without SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    done = _python(READ_DEBUG)
    assert done.returncode != 0
    assert "SECRET_KEY wajib diisi" in done.stderr


def test_django_debug_1_turns_debug_on_for_local_use():
    done = _python(READ_DEBUG, DJANGO_DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
