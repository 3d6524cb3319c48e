import pytest

from .helpers import certificate_bytes


@pytest.fixture(autouse=True)
def report_settings(settings, tmp_path):
    settings.ROOT_URLCONF = "tests.reports.urls"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    p12 = tmp_path / "signing.p12"
    p12.write_bytes(certificate_bytes())
    settings.REPORT_SIGNING_P12 = str(p12)
    settings.REPORT_SIGNING_PASSPHRASE = ""
    settings.REPORT_CERT_IS_BSRE = False
    settings.SITE_URL = "https://skm.example.go.id"
    return settings


def _load_demo_2024() -> None:
    from followup import demo as followup_demo
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo

    portal_demo.load()
    surveys_demo.load()
    followup_demo.load()


@pytest.fixture(scope="module")
def _demo_2024_module(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once per test module, inside a transaction held open until the module's
    last test: each test runs in a savepoint within it (as Django's TestCase.setUpTestData), so
    every test starts from the rows a fresh load leaves and nothing one test writes reaches the
    next. The demo's files (the office logo, evidence) are kept here and copied to each test's
    own folders. Loading the demo for each test was a third of a report test's own time.

    Only in a module whose every database test asks for the demo: another test of the module
    would see the held rows."""
    from django.db import transaction
    from django.test import override_settings

    from tests.shared_pdfs import REPORT_TEST_SETTINGS, baseline_rows

    if not _every_database_test_loads_the_demo(request.node):
        yield None  # each test loads the demo for itself
        return
    if any("demo_2024_pdfs" in item.fixturenames for item in _tests_of(request.node)):
        # Built from an empty demo in its own transaction: before the demo is held here.
        request.getfixturevalue("demo_2024_pdfs")
    root = tmp_path_factory.mktemp("demo-2024")
    p12 = root / "signing.p12"
    p12.write_bytes(certificate_bytes())
    files = {"MEDIA_ROOT": root / "media", "FOLLOWUP_EVIDENCE_ROOT": root / "evidence"}
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            with override_settings(**REPORT_TEST_SETTINGS, **files, REPORT_SIGNING_P12=str(p12)):
                baseline_rows()  # a transactional test earlier in this process emptied every table
                _load_demo_2024()
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
        _forget_cached_rows()


def _tests_of(module) -> list[pytest.Item]:
    return [item for item in module.session.items if item.module is module.obj]


def _every_database_test_loads_the_demo(module) -> bool:
    """Whether each test of the module that reaches the database asks for demo_2024 and is not
    transactional (a transaction held open would hide its writes from a live server)."""
    for item in _tests_of(module):
        marker = item.get_closest_marker("django_db")
        if not (marker or {"db", "transactional_db"} & set(item.fixturenames)):
            continue  # never reaches the database
        if "demo_2024" not in item.fixturenames or (marker and marker.kwargs.get("transaction")):
            return False
    return True


def _forget_cached_rows() -> None:
    from django.core.cache import cache

    from surveys import questionnaire_cache

    cache.clear()
    questionnaire_cache._memo = None


@pytest.fixture
def demo_2024(_demo_2024_module, db, settings):
    """The demo office, users, the seed's 2024 results and its follow-up (as `make run` loads them):
    the module's load (_demo_2024_module), its files copied into this test's folders."""
    import shutil

    if _demo_2024_module is None:
        _load_demo_2024()
        return
    for name, source in _demo_2024_module.items():
        if source.exists():
            shutil.copytree(source, getattr(settings, name), dirs_exist_ok=True)
    # What an earlier test cached of rows now rolled back must not answer for this one.
    _forget_cached_rows()


@pytest.fixture
def report_2024(demo_2024):
    from reports import services

    return services.year_report(year=2024)
