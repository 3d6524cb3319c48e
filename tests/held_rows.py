"""Rows loaded once per test module and held in a transaction, for the tests that only start from them.

A module-scoped fixture loads (e.g. the demo) inside a transaction it holds open until the
module's last test; each test runs in a savepoint within it (pytest-django's `db`, as Django's
TestCase.setUpTestData), so every test starts from the rows a fresh load leaves and nothing a
test writes reaches the next. The load's files (the office logo, evidence) are kept in the
module's folders and copied into each test's own MEDIA_ROOT and FOLLOWUP_EVIDENCE_ROOT.

On SQLite (the suite's own database, in memory) the rows are loaded once per test process:
the database as the load left it is copied aside (sqlite3's backup) and copied back at the
start of each module that holds them, and the database as it was before at the module's end.
On PostgreSQL each module loads them, in a transaction rolled back at its end.

Only in a module whose every database test asks for that fixture, asks for no other held
fixture, and is not transactional: any other test of the module would see the held rows (and
a transaction held open would hide a transactional test's writes from a live server). Elsewhere
the fixture loads the rows for each test, as before.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator

import pytest

# The per-test fixtures that may hold their rows per module (tests/conftest.py, tests/reports/conftest.py,
# tests/permits/test_permissions.py).
HELD = ("survey_demo", "demo_2024", "permission_world")
FILE_ROOTS = ("MEDIA_ROOT", "FOLLOWUP_EVIDENCE_ROOT")


def _tests_of(module) -> list[pytest.Item]:
    return [item for item in module.session.items if item.module is module.obj]


def holds(module, name: str) -> bool:
    """Whether every test of `module` that reaches the database asks for `name` (and no other
    held fixture) and is not transactional."""
    for item in _tests_of(module):
        marker = item.get_closest_marker("django_db")
        if not (marker or {"db", "transactional_db"} & set(item.fixturenames)):
            continue  # never reaches the database
        if name not in item.fixturenames or (marker and marker.kwargs.get("transaction")):
            return False
        if any(other in item.fixturenames for other in HELD if other != name):
            return False
    return True


def forget_cached_rows() -> None:
    """What a test cached of rows since rolled back must not answer for the next one."""
    from django.core.cache import cache

    from surveys import questionnaire_cache

    cache.clear()
    questionnaire_cache._memo = None


# name -> (the in-memory database as the load left it, its file roots): per test process, SQLite only.
_LOADED: dict[str, tuple[sqlite3.Connection, dict]] = {}


def _in_memory_sqlite():
    """The test database's sqlite3 connection when it is SQLite in memory, else None."""
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    connection.ensure_connection()
    return connection.connection


def _copy(source: sqlite3.Connection, target: sqlite3.Connection | None = None) -> sqlite3.Connection:
    target = target if target is not None else sqlite3.connect(":memory:", check_same_thread=False)
    source.backup(target)
    return target


def _load(tmp_path_factory, name: str, load: Callable[[], None], overrides) -> dict:
    """Load the rows, their files in a folder of their own; return the file roots."""
    from django.test import override_settings

    from tests.shared_pdfs import baseline_rows

    root = tmp_path_factory.mktemp(name)
    files = {setting: root / setting.lower() for setting in FILE_ROOTS}
    with override_settings(**overrides, **files):
        baseline_rows()  # a transactional test earlier in this process emptied every table
        load()
    return files


def _held_in_memory(
    database, django_db_blocker, tmp_path_factory, name: str, load: Callable[[], None], overrides
) -> Iterator[dict]:
    with django_db_blocker.unblock():
        before = _copy(database)
        if name not in _LOADED:
            try:
                files = _load(tmp_path_factory, name, load, overrides)
            except BaseException:
                _restore(before, database)
                raise
            _LOADED[name] = (_copy(database), files)
        else:
            _restore(_LOADED[name][0], database)
    try:
        yield _LOADED[name][1]
    finally:
        with django_db_blocker.unblock():
            _restore(before, database)
            before.close()


def _restore(source: sqlite3.Connection, database) -> None:
    """`database` as `source` holds it, and nothing cached of the rows it held before."""
    from django.contrib.contenttypes.models import ContentType

    _copy(source, database)
    forget_cached_rows()
    ContentType.objects.clear_cache()


def held_per_module(
    request, django_db_blocker, tmp_path_factory, name: str, load: Callable[[], None], **overrides
) -> Iterator[dict | None]:
    """The body of a module-scoped fixture: yields the module's file roots (None: not held here)."""
    from django.db import transaction

    module = request.node
    if not holds(module, name):
        yield None
        return
    if any("demo_2024_pdfs" in item.fixturenames for item in _tests_of(module)):
        # Built from an empty database in its own transaction: before the rows are held here.
        request.getfixturevalue("demo_2024_pdfs")
    with django_db_blocker.unblock():
        database = _in_memory_sqlite()
    if database is not None:
        yield from _held_in_memory(database, django_db_blocker, tmp_path_factory, name, load, overrides)
        return
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            files = _load(tmp_path_factory, name, load, overrides)
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    try:
        yield files
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
        forget_cached_rows()


def start_from(held: dict | None, settings, load: Callable[[], None]) -> None:
    """The body of the per-test fixture: the module's held rows with their files, or a load of its own."""
    if held is None:
        load()
        return
    for setting, source in held.items():
        if source.exists():
            shutil.copytree(source, getattr(settings, setting), dirs_exist_ok=True)
    forget_cached_rows()
