"""Per-client limits on public forms, counted atomically in Django's cache; the client address.

Each form has its own bucket (`SURVEY`, `COMPLAINT`, `REGISTER`) with its own limit per
window in settings (0 switches a limit off). A request *takes* a use before its work is
done and gives it back when the input was invalid, so concurrent posts can never store
more than the limit: the count is one atomic step on the cache.

- Redis (production): `SET key 0 NX EX window` and `INCR key` in one MULTI/EXEC
  pipeline, one round trip; the value returned is this request's place in the window.
- Other caches whose increment is atomic (local memory, memcached): `cache.add(key, 0)`
  then `cache.incr(key)`.
- Other caches (the database cache increments with a read and a write): the limit's uses
  are slots `key:0 ... key:N-1`, each claimed with `cache.add`, which the database cache
  does in one INSERT guarded by the primary key.

The client is `client_ip` (honouring SKM_TRUSTED_PROXIES); IPv6 clients count per /64,
the block one household or phone usually holds (`client_network`, also what login
throttling counts). Addresses are only hashed into cache keys, never stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import time
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache

KEY_PREFIX = "skm:rate"
ATOMIC_INCREMENT = (LocMemCache, RedisCache, BaseMemcachedCache)


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


def client_network(request) -> str:
    """The client as limits count it: an IPv4 address, or the first address of an IPv6 /64.

    A valid IP address either way, so it also fits the login throttle's address column
    (an address that is none is returned as it came, e.g. empty for an internal request).
    """
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


@dataclass(frozen=True)
class Use:
    """One taken use of a limit; `give_back()` when the request stored nothing."""

    key: str
    counter: bool

    def give_back(self) -> None:
        if not self.counter:
            cache.delete(self.key)
        elif isinstance(caches["default"], RedisCache):
            _redis_give_back(self.key)
        else:
            with contextlib.suppress(ValueError):  # the window ended meanwhile
                cache.decr(self.key)


_redis_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis_take(key: str, window: int) -> int:
    """Create the counter with its expiry if absent and increment it: one round trip.

    MULTI/EXEC runs both commands atomically, so the key can neither expire between them
    (an INCR then would make a counter without expiry) nor miss a concurrent request.
    Counters are stored as plain integers, as Django's RedisCache stores ints;
    `_redis_give_back` gives a use back.
    """
    backend = caches["default"]
    cache_key = backend.make_and_validate_key(key)
    with _redis_client(backend, cache_key).pipeline(transaction=True) as pipe:
        pipe.set(cache_key, 0, nx=True, ex=window)
        pipe.incr(cache_key)
        return int(pipe.execute()[1])


# DECR only a counter that still exists, in one step: Django's `decr` asks EXISTS, then
# DECRBY, and a counter expiring in between came back as -1 with no expiry, for good.
_GIVE_BACK = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return nil"


def _redis_client(backend, cache_key: str):
    # Django builds a new client object (and its table of reply parsers) on every call;
    # one per backend object (one per thread) shares the same connection pool.
    client = _redis_clients.get(backend._cache)
    if client is None:
        client = _redis_clients[backend._cache] = backend._cache.get_client(cache_key, write=True)
    return client


def _redis_give_back(key: str) -> None:
    backend = caches["default"]
    cache_key = backend.make_and_validate_key(key)
    _redis_client(backend, cache_key).eval(_GIVE_BACK, 1, cache_key)


def _counted(key: str, count: int, limit: int) -> Use | None:
    """The use numbered `count`, or None past the limit; a refused increment is undone,
    so the counter holds the uses taken and not given back (a use given back frees its
    place, however many were refused meanwhile)."""
    if count <= limit:
        return Use(key=key, counter=True)
    Use(key=key, counter=True).give_back()
    return None


@dataclass(frozen=True)
class RateLimit:
    """A per-client bucket: `limit_setting` uses per `window_setting` seconds."""

    name: str
    limit_setting: str
    window_setting: str
    default_limit: int
    default_window: int = 60 * 60

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.limit_setting, self.default_limit))

    @property
    def window(self) -> int:
        return max(int(getattr(settings, self.window_setting, self.default_window)), 1)

    def _key(self, request, client: str | None = None) -> str:
        period = int(time.time() // self.window)
        client = client or client_network(request) or "unknown"
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client}".encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}:{self.name}:{period}:{digest}"

    def take(self, request, client: str | None = None) -> Use | None:
        """Take one use for this client, atomically; None when the client has used them all.

        `client` names the client when it is not the address (an API key's client system, a paired kiosk tablet).
        """
        limit = self.limit
        if limit <= 0:
            return Use(key="", counter=False)
        key, window = self._key(request, client), self.window
        # The backend itself: `cache` is a proxy, which isinstance never matches.
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            return _counted(key, _redis_take(key, window), limit)
        if isinstance(backend, ATOMIC_INCREMENT):
            for _attempt in range(2):
                cache.add(key, 0, timeout=window)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr: add again
                    continue
                return _counted(key, count, limit)
            return None
        for slot in range(limit):
            if cache.add(f"{key}:{slot}", 1, timeout=window):
                return Use(key=f"{key}:{slot}", counter=False)
        return None

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        window = self.window
        return window - int(time.time()) % window


SURVEY = RateLimit("survey", "SKM_RATE_LIMIT", "SKM_RATE_LIMIT_WINDOW", default_limit=10)
COMPLAINT = RateLimit("complaint", "SKM_COMPLAINT_RATE_LIMIT", "SKM_COMPLAINT_RATE_LIMIT_WINDOW", default_limit=5)
REGISTER = RateLimit("register", "SKM_REGISTER_RATE_LIMIT", "SKM_REGISTER_RATE_LIMIT_WINDOW", default_limit=5)
# Meeting check-in: a whole meeting may share one office Wi-Fi address, so a short window
# with room for a queue at the door, not the survey's hourly bucket.
CHECKIN = RateLimit(
    "checkin", "SKM_CHECKIN_RATE_LIMIT", "SKM_CHECKIN_RATE_LIMIT_WINDOW", default_limit=20, default_window=60
)
# The JSON API: calls per client system (its key) per window; open data per address.
API = RateLimit("api", "SKM_API_RATE_LIMIT", "SKM_API_RATE_LIMIT_WINDOW", default_limit=120, default_window=60)
OPEN_DATA = RateLimit(
    "open_data", "SKM_OPEN_DATA_RATE_LIMIT", "SKM_OPEN_DATA_RATE_LIMIT_WINDOW", default_limit=60, default_window=60
)
# A counter's kiosk: counted per paired tablet (many respondents, one office address).
KIOSK = RateLimit("kiosk", "SKM_KIOSK_RATE_LIMIT", "SKM_KIOSK_RATE_LIMIT_WINDOW", default_limit=180)
# Start tokens, same limit in a bucket of their own: tokens fetched ahead cannot be hoarded.
KIOSK_START = RateLimit("kiosk_start", "SKM_KIOSK_RATE_LIMIT", "SKM_KIOSK_RATE_LIMIT_WINDOW", default_limit=180)
KIOSK_PAIR = RateLimit("kiosk_pair", "SKM_KIOSK_PAIR_RATE_LIMIT", "SKM_KIOSK_PAIR_RATE_LIMIT_WINDOW", default_limit=10)
