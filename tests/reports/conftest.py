import pytest

from tests.held_rows import held_per_module, start_from

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
    """The demo held per module where every database test of the module starts from it
    (tests/held_rows.py): loading it for each test was a third of a report test's own time."""
    from tests.shared_pdfs import REPORT_TEST_SETTINGS

    p12 = tmp_path_factory.mktemp("demo-2024-certificate") / "signing.p12"
    p12.write_bytes(certificate_bytes())
    yield from held_per_module(
        request,
        django_db_blocker,
        tmp_path_factory,
        "demo_2024",
        _load_demo_2024,
        **REPORT_TEST_SETTINGS,
        REPORT_SIGNING_P12=str(p12),
    )


@pytest.fixture
def demo_2024(_demo_2024_module, db, settings):
    """The demo office, users, the seed's 2024 results and its follow-up (as `make run` loads them)."""
    start_from(_demo_2024_module, settings, _load_demo_2024)


@pytest.fixture
def report_2024(demo_2024):
    from reports import services

    return services.year_report(year=2024)
