"""SITE_URL: one function builds every absolute link; production requires a public https:// address."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from skm_portal.siteurl import absolute_url, public_site_problem, signing_refusal

ROOT = Path(__file__).resolve().parents[2]


def check_deploy(site_url: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy --fail-level WARNING` under production settings, as CI runs it."""
    env = {  # a clean environment: nothing of this test process (e.g. Playwright's async flag) leaks in
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "uji-" + "k" * 60,
        "ALLOWED_HOSTS": "skm.kaltimprov.go.id",
        "SITE_URL": site_url,
        "STATIC_MANIFEST": "0",
    }
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_fails_for_a_loopback_http_address_and_passes_for_the_public_https_one():
    refused = check_deploy("http://127.0.0.1:8000")
    assert refused.returncode != 0
    assert "skm_portal.E001" in refused.stderr and "https://" in refused.stderr
    accepted = check_deploy("https://skm.kaltimprov.go.id")
    assert accepted.returncode == 0, accepted.stderr
    assert "skm_portal.E001" not in accepted.stdout + accepted.stderr


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://skm.kaltimprov.go.id",
        "https://localhost:8000",
        "https://127.0.0.1",
        "https://[::1]",
        "https://10.0.0.5",
        "https://192.168.1.10",
        "https://172.16.4.2",
        "https://169.254.10.1",
        "https://skm.local",
        "https://intranet",
        "ftp://skm.kaltimprov.go.id",
        "https://skm.kaltimprov.go.id:99999",
    ],
)
def test_addresses_that_cannot_be_locked_into_a_signed_document(url):
    assert public_site_problem(url)


@pytest.mark.parametrize(
    "url", ["https://skm.kaltimprov.go.id", "https://skm.dpmptsp.kaltimprov.go.id/", "https://103.10.20.30"]
)
def test_public_https_addresses_are_accepted(url):
    assert public_site_problem(url) is None


def test_signing_is_refused_only_in_production(settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    settings.DEBUG = True
    assert signing_refusal() is None  # development: the local server's own address
    settings.DEBUG = False
    assert "Penandatanganan ditolak" in signing_refusal()
    settings.SITE_URL = "https://skm.kaltimprov.go.id"
    assert signing_refusal() is None


def test_every_absolute_link_comes_from_site_url(settings, db):
    from followup.meetings.views import checkin_url
    from followup.models import Meeting
    from reports.signing import verify_url
    from surveys.models import Service
    from surveys.posters import survey_url

    settings.SITE_URL = "http://127.0.0.1:8123/"
    assert absolute_url("/survei/") == "http://127.0.0.1:8123/survei/"
    service = Service.objects.create(code="izin-uji", name="Izin Uji")
    assert survey_url(service) == "http://127.0.0.1:8123" + reverse("surveys:survey_form", args=["izin-uji"])
    meeting = Meeting(checkin_token="tok123")
    assert checkin_url(meeting) == "http://127.0.0.1:8123" + reverse("followup:checkin", kwargs={"checkin": "tok123"})
    assert verify_url("abc") == "http://127.0.0.1:8123/laporan/verifikasi/abc/"
