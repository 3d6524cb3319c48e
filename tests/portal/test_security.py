"""Security settings: CSP, login throttling, cookies and the production profile.

The production profile is read by importing the settings module in a fresh interpreter
with production environment variables, exactly as gunicorn would.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import override_settings
from django.urls import reverse

from skm_portal.roles import Role

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "test-only-" + "x" * 50,
    "ALLOWED_HOSTS": "skm.example.go.id",
    "SITE_URL": "https://skm.example.go.id",
    "PATH": "/usr/bin:/bin",
}


def production_settings(**extra_env) -> dict:
    code = (
        "import json, skm_portal.settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in dir(s) if k.isupper()}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**PRODUCTION_ENV, **extra_env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


# --- Content-Security-Policy ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/masuk/", "/survei/", "/hasil/"])
def test_pages_send_a_csp_without_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def browser_templates():
    # PDF templates are rendered by WeasyPrint, never by a browser under the CSP.
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if relative.startswith("documents/") or "/pdf/" in f"/{relative}" or "pdf" in path.stem:
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_templates_have_no_inline_script_or_style():
    offenders = []
    for name, text in browser_templates():
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{name}: inline <script>")
        if re.search(r"<style\b", text):
            offenders.append(f"{name}: <style> element")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{name}: style= attribute")
        if re.search(r"\son[a-z]+\s*=|\shx-on[:-]|javascript:", text):
            offenders.append(f"{name}: inline event handler")
    assert offenders == [], "blocked by the Content-Security-Policy: move them to /static/"


# --- login throttling (django-axes) --------------------------------------------------------


def login(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_wrong_passwords_lock_that_user_from_that_address(client, make_user):
    user = make_user(Role.PETUGAS_SKM, username="petugas1", password="benar-sekali-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.username, "salah").status_code == 200
    locked = login(client, user.username, "salah")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # Even the right password is refused while the lock lasts.
    refused = login(client, user.username, "benar-sekali-123")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lockout_leaves_other_users_and_addresses_alone(client, make_user):
    victim = make_user(Role.PETUGAS_SKM, username="petugas1", password="benar-sekali-123")
    colleague = make_user(Role.KASI, username="kasi1", password="benar-juga-456")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, victim.username, "salah", address="198.51.100.9")
    assert login(client, victim.username, "benar-sekali-123", address="198.51.100.9").status_code == 429

    # Another officer at the same address logs in.
    assert login(client, colleague.username, "benar-juga-456", address="198.51.100.9").status_code == 302
    client.logout()
    # The same officer from the office network logs in.
    assert login(client, victim.username, "benar-sekali-123", address="203.0.113.20").status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, make_user):
    user = make_user(Role.PETUGAS_SKM, username="petugas1", password="benar-sekali-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "salah")
    assert login(client, user.username, "benar-sekali-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "salah")
    assert login(client, user.username, "benar-sekali-123").status_code == 302


@pytest.mark.django_db
def test_authentication_without_a_request_still_works(make_user):
    # Commands and re-checks at signing time authenticate without an HTTP request.
    make_user(Role.KEPALA_DINAS, username="kadis1", password="benar-sekali-123")
    assert authenticate(username="kadis1", password="benar-sekali-123") is not None
    assert authenticate(username="kadis1", password="salah") is None


# --- cookies and sessions ----------------------------------------------------------------


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_login_cookies_are_https_only_and_end_with_the_browser(client, make_user):
    make_user(Role.PETUGAS_SKM, username="petugas1", password="benar-sekali-123")
    client.get(reverse("login"))
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    assert login(client, "petugas1", "benar-sekali-123").status_code == 302
    session = client.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert not session["expires"] and not session["max-age"]  # ends when the browser closes
    assert client.session.get_expiry_age() <= 8 * 60 * 60  # and after a working day at most


# --- the production profile --------------------------------------------------------------


def test_production_profile_is_https_only():
    s = production_settings()
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert len(s["AUTH_PASSWORD_VALIDATORS"]) >= 4


def test_production_profile_shares_state_through_redis():
    s = production_settings(CACHE_URL="redis://127.0.0.1:6379/5")
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert s["AXES_HANDLER"] == "axes.handlers.cache.AxesCacheHandler"
    rq = production_settings(CACHE_URL="redis://127.0.0.1:6379/5", TASKS_BACKEND="rq")
    assert rq["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert rq["RQ_QUEUES"]["default"]["URL"] == "redis://127.0.0.1:6379/5"


def test_media_on_s3_compatible_storage_by_settings():
    s = production_settings(MEDIA_STORAGE="s3", S3_BUCKET="skm-media", S3_ENDPOINT_URL="https://s3.example.go.id")
    media = s["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "skm-media"
    assert media["OPTIONS"]["querystring_auth"] is True  # private objects, signed links
    assert s["STORAGES"]["private"]["OPTIONS"]["location"] == "private"


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    done = subprocess.run(
        [sys.executable, "-c", "import skm_portal.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_check_deploy_is_silent_under_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_failed_logins_are_not_logged_with_names_and_addresses():
    assert settings.LOGGING["loggers"]["axes"]["level"] == "ERROR"
    assert settings.AXES_DISABLE_ACCESS_LOG is True
