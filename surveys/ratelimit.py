"""Per-client limit on public survey submissions, counted in Django's cache.

Settings: SKM_RATE_LIMIT submissions per SKM_RATE_LIMIT_WINDOW seconds per client
(0 switches the limit off); SKM_TRUSTED_PROXIES proxies in front of the app append to
X-Forwarded-For (0: the peer address is the client). IPv6 clients count per /64, the
block one household or phone usually holds. Addresses are only hashed into cache keys,
never stored with a response.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "skm:survey-rate"


def client_ip(request) -> str:
    """The client's address as the trusted proxies report it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SKM_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        # Each trusted proxy appended the address it received the request from; entries
        # further left were written by the client and prove nothing.
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    return remote


def _client_key(request) -> str:
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        bucket = address or "unknown"
    else:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        bucket = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    window = max(settings.SKM_RATE_LIMIT_WINDOW, 1)
    period = int(time.time() // window)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{bucket}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{period}:{digest}"


def is_limited(request) -> bool:
    """True when this client has used up its submissions in the current window."""
    limit = settings.SKM_RATE_LIMIT
    if limit <= 0:
        return False
    return (cache.get(_client_key(request)) or 0) >= limit


def record(request) -> None:
    """Count one submission of this client in the current window."""
    if settings.SKM_RATE_LIMIT <= 0:
        return
    key = _client_key(request)
    cache.add(key, 0, timeout=max(settings.SKM_RATE_LIMIT_WINDOW, 1))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=max(settings.SKM_RATE_LIMIT_WINDOW, 1))


def retry_after() -> int:
    """Seconds until the current window ends."""
    window = max(settings.SKM_RATE_LIMIT_WINDOW, 1)
    return window - int(time.time()) % window
