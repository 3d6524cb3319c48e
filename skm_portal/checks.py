"""Deployment checks of the portal (`manage.py check --deploy`)."""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.core.checks import Warning as CheckWarning


def _loopback(bind: str) -> bool:
    """True when a gunicorn bind address only accepts connections from this machine."""
    bind = bind.strip()
    if not bind or bind.startswith(("unix:", "fd://")):
        return True
    host = bind.rsplit(":", 1)[0] if not bind.startswith("[") else bind[1 : bind.index("]")]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def check_forwarded_addresses(app_configs=None, **kwargs):
    """Trusting X-Forwarded-For is safe only if nobody can reach gunicorn but the proxy.

    With SKM_TRUSTED_PROXIES > 0 the rate limits and the login lockout take the client
    address from that header; a client that connects to gunicorn directly writes the
    header itself and escapes both.
    """
    if settings.SKM_TRUSTED_PROXIES <= 0:
        return []
    binds = [b for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if b.strip()]
    exposed = [b.strip() for b in binds if not _loopback(b)]
    if not exposed:
        return []
    return [
        CheckWarning(
            f"SKM_TRUSTED_PROXIES={settings.SKM_TRUSTED_PROXIES} but GUNICORN_BIND={', '.join(exposed)} accepts "
            "connections from other machines: a client connecting directly can forge X-Forwarded-For and "
            "escape the rate limits and the login lockout.",
            hint="Bind gunicorn to 127.0.0.1 (or a unix socket) behind the proxy, or firewall the port so only "
            "the proxy reaches it; see README, Deploying.",
            id="skm_portal.W001",
        )
    ]
