"""Production smoke test over HTTP: a running gunicorn + task worker, production settings.

    .venv/bin/python tests/smoke/smoke.py http://127.0.0.1:8123

Run by `.ci/run` with the same environment as the servers (DATABASE_URL, CACHE_URL,
DJANGO_DEBUG=0, ...), after `migrate`, `load_demo` and `collectstatic`. Requests carry
`X-Forwarded-Proto: https` as the TLS-terminating proxy in front of the app would, so
secure cookies, HSTS and the strict CSRF origin check are exercised too. The database is
read through the ORM only to count stored responses and to enqueue tasks.

Steps: home page, static CSS, survey form GET + POST (response counted), login page,
login as petugas and the results pages, a task run by the worker, and, once the reports
app provides `manage.py report_build`, the year's report built by the worker, which must
have the page count and fonts of the same report built with development settings.
Exits non-zero on the first failure.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm_portal.settings")

REPORT_YEAR = 2024  # the demo's complete year
TASK_TIMEOUT = 60
REPORT_TIMEOUT = 600


class SmokeFailure(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Browser:
    """A tiny HTTP client with a cookie jar that, like a browser behind TLS, returns
    Secure cookies (the proxy in front of the app speaks HTTPS to the browser)."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "skm-smoke"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.set_cookie_headers.append(value)
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ('""', ""):
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def get(self, path: str, expect: int = 200) -> tuple[dict, str]:
        status, headers, content = self.request("GET", path)
        check(status == expect, f"GET {path}: {status}, expected {expect}")
        return headers, content.decode("utf-8", "replace")

    def cookie_header(self, name: str) -> str:
        matching = [h for h in self.set_cookie_headers if h.startswith(f"{name}=")]
        check(bool(matching), f"no Set-Cookie for {name}")
        return matching[-1]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check(match is not None, "no CSRF token in the form")
    return match.group(1)


def form_errors(content: bytes) -> str:
    html = content.decode("utf-8", "replace")
    found = re.findall(r'<div class="invalid-feedback[^"]*"[^>]*>([^<]+)<', html)
    return "; ".join(found) or html[:300]


def step(name: str):
    def decorator(func):
        def run(*args, **kwargs):
            start = time.perf_counter()
            result = func(*args, **kwargs)
            print(f"  ok  {name} ({time.perf_counter() - start:.2f} s)", flush=True)
            return result

        return run

    return decorator


@step("plain HTTP redirected to HTTPS; home page 200 with security headers")
def home(browser: Browser) -> str:
    conn = http.client.HTTPConnection(browser.host, browser.port, timeout=60)
    conn.request("GET", "/survei/", headers={"Host": f"{browser.host}:{browser.port}"})
    plain = conn.getresponse()
    plain.read()
    conn.close()
    location = plain.getheader("Location", "")
    check(plain.status == 301 and location.startswith("https://"), f"plain HTTP: {plain.status} {location}")
    headers, html = browser.get("/")
    csp = headers.get("content-security-policy", "")
    check("script-src 'self'" in csp, f"CSP without script-src 'self': {csp!r}")
    check("unsafe-inline" not in csp and "unsafe-eval" not in csp, f"CSP allows inline code: {csp!r}")
    check("max-age=" in headers.get("strict-transport-security", ""), "no HSTS header")
    check(headers.get("x-content-type-options") == "nosniff", "no X-Content-Type-Options: nosniff")
    check(headers.get("x-frame-options") == "DENY", "no X-Frame-Options: DENY")
    return html


@step("static CSS served by the app (hashed name, cached, compressed copy)")
def static_css(browser: Browser, home_html: str) -> None:
    hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+\.css)"', home_html)
    check(bool(hrefs), "home page links no stylesheet")
    for href in hrefs:
        check(re.search(r"\.[0-9a-f]{12}\.css$", href) is not None, f"stylesheet without hashed name: {href}")
        headers, css = browser.get(href)
        check(headers.get("content-type", "").startswith("text/css"), f"{href}: {headers.get('content-type')}")
        check("max-age=315360000" in headers.get("cache-control", ""), f"{href}: {headers.get('cache-control')}")
        check(len(css) > 100, f"{href}: {len(css)} bytes")


def response_count() -> int:
    from surveys.models import Response

    return Response.objects.count()


@step("survey form GET + POST, response stored")
def survey(browser: Browser) -> None:
    _, listing = browser.get("/survei/")
    codes = [c for c in re.findall(r'href="/survei/([a-z0-9-]+)/"', listing) if c != "terima-kasih"]
    check(bool(codes), "service list links no survey form")
    path = f"/survei/{codes[0]}/"
    _, form = browser.get(path)
    radios: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="radio" name="([^"]+)" value="([^"]*)"', form):
        radios.setdefault(name, []).append(value)
    answers = [name for name in radios if name.startswith("answer_")]
    check(len(answers) >= 9, f"only {len(answers)} questions on the form")
    data = {name: values[0] for name, values in radios.items() if values[0]}
    data |= {"age": "35", "occupation_other": "", "suggestion": "Antrean sudah rapi.", "website": ""}
    data["csrfmiddlewaretoken"] = csrf_token(form)
    before = response_count()
    status, headers, content = browser.request("POST", path, data)
    check(
        status == 302 and headers.get("location", "").endswith("/survei/terima-kasih/"),
        f"survey POST answered {status} {headers.get('location')}: {form_errors(content)}",
    )
    browser.get(headers["location"])
    after = response_count()
    check(after == before + 1, f"responses {before} -> {after}, expected one more")


@step("login page, login as petugas, results pages")
def results(browser: Browser) -> None:
    _, page = browser.get("/masuk/")
    check(browser.cookie_header("csrftoken"), "no CSRF cookie")
    csrf = browser.cookie_header("csrftoken").lower()
    check("secure" in csrf and "httponly" in csrf, f"CSRF cookie flags: {csrf}")
    data = {"username": "petugas", "password": "demo-petugas-2024", "csrfmiddlewaretoken": csrf_token(page)}
    status, _, content = browser.request("POST", "/masuk/", data)
    check(status == 302, f"login answered {status}: {content[:300]!r}")
    session = browser.cookie_header("sessionid").lower()
    for flag in ("secure", "httponly", "samesite=lax"):
        check(flag in session, f"session cookie without {flag}: {session}")
    check("expires=" not in session and "max-age=" not in session, f"session outlives the browser: {session}")
    browser.get("/dasbor/")
    _, periods = browser.get("/skm/periode/")
    _, ranged = browser.get("/skm/hasil/")
    check("IKM" in periods + ranged, "results pages show no IKM")


def wait_for(result, timeout: float, what: str):
    from django_tasks import TaskResultStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return result.return_value
        check(result.status != TaskResultStatus.FAILED, f"{what} failed in the worker: {result.errors}")
        time.sleep(0.5)
    raise SmokeFailure(f"{what}: no worker finished it within {timeout:.0f} s (status {result.status})")


@step("task run by the worker")
def worker_ping() -> None:
    from tests.smoke.tasks import smoke_ping

    marker = uuid.uuid4().hex
    value = wait_for(smoke_ping.enqueue(marker), TASK_TIMEOUT, "ping task")
    check(value == f"pong:{marker}", f"ping task returned {value!r}")


def report_available() -> bool:
    from django.core.management import get_commands

    return "report_build" in get_commands()


@step(f"{REPORT_YEAR} report built by the worker")
def worker_report() -> None:
    from tests.smoke.tasks import smoke_report_build

    with tempfile.TemporaryDirectory(prefix="skm-smoke-") as folder:
        output = Path(folder) / f"laporan-{REPORT_YEAR}.pdf"
        size = wait_for(smoke_report_build.enqueue(REPORT_YEAR, str(output)), REPORT_TIMEOUT, "report task")
        check(output.read_bytes()[:5] == b"%PDF-", "the report is not a PDF")
        check(size > 1000, f"report of {size} bytes")
        # The worker refuses to write a PDF with a resource it could not load (PdfResourceError),
        # so reaching here means no fetch failed; it must also be laid out as in development.
        development = Path(folder) / f"laporan-{REPORT_YEAR}-development.pdf"
        development_build(development)
        production_facts, development_facts = pdf_facts(output), pdf_facts(development)
        check(
            production_facts == development_facts,
            f"production build (pages, fonts) {production_facts} differs from development {development_facts}",
        )


def development_build(output: Path) -> None:
    """The same report built with development settings (DEBUG, static files from the source folders)."""
    env = {**os.environ, "DJANGO_DEBUG": "1", "STATIC_MANIFEST": "0"}
    command = [sys.executable, "manage.py", "report_build", "--year", str(REPORT_YEAR), "--output", str(output)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=REPORT_TIMEOUT)
    check(done.returncode == 0, f"development build failed: {done.stderr[-2000:]}")


def poppler(tool: str) -> str:
    """The absolute path of a poppler-utils tool (pdfinfo, pdffonts)."""
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(f"{tool} (poppler-utils) is needed")
    return path


def pdf_facts(path: Path) -> tuple[int, list[str]]:
    """Page count and the embedded font faces (subset tags removed), from poppler's pdfinfo/pdffonts."""
    info = subprocess.run([poppler("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    check(match is not None, f"pdfinfo found no page count in {path.name}")
    listing = subprocess.run([poppler("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    fonts = sorted({line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()})
    check(bool(fonts), f"{path.name} embeds no fonts")
    return int(match.group(1)), fonts


def main(base_url: str) -> int:
    import django

    django.setup()
    browser = Browser(base_url)
    print(f"== smoke test against {base_url}", flush=True)
    try:
        html = home(browser)
        static_css(browser, html)
        survey(browser)
        results(Browser(base_url))
        worker_ping()
        if report_available():
            worker_report()
        else:
            print("  --  report step skipped: no `manage.py report_build` yet", flush=True)
    except SmokeFailure as failure:
        print(f"  FAILED: {failure}", flush=True)
        return 1
    print("== smoke test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
