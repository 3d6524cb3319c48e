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


@pytest.fixture
def demo_2024(db):
    """The demo office, users, the seed's 2024 results and its follow-up (as `make run` loads them)."""
    from followup import demo as followup_demo
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo

    portal_demo.load()
    surveys_demo.load()
    followup_demo.load()


@pytest.fixture
def report_2024(demo_2024):
    from reports import services

    return services.year_report(year=2024)
