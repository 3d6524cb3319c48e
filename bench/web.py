"""HTTP helpers the page benchmarks share: one timed GET, and waiting for gunicorn."""

from __future__ import annotations

import http.client
import subprocess
import time

from bench.common import ROOT, Timer


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    """One gunicorn worker serving the app on loopback `port` (own session: stop with killpg)."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "skm_portal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--log-level=warning",
            f"--chdir={ROOT}",
        ],
        env=env,
        start_new_session=True,
    )


def get(port: int, path: str, cookie: str = "") -> tuple[float, int, str]:
    """(seconds, status, body) of one GET on a fresh loopback connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
        with Timer() as timer:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read().decode()
        return timer.seconds, response.status, body
    finally:
        conn.close()


def wait_ready(port: int, server: subprocess.Popen, path: str, cookie: str = "", seconds: float = 60) -> None:
    """Until `path` answers 200; raise if gunicorn stops or `seconds` pass."""
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            last = get(port, path, cookie)[1]
            if last == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{path} did not answer 200 within {seconds:g} s (last answer: {last})")
