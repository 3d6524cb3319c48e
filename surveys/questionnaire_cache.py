"""The active questionnaire and the active services, remembered per process for the
public form's hot path.

Loading the questionnaire, its elements and the service is most of a submission's
database work, and they change perhaps a few times a year. A process keeps them for at
most `TTL_SECONDS`; a save or delete of a Questionnaire, Element or Service anywhere
signals bumps a generation number in Django's cache. A process reads that number at most
once every `CHECK_SECONDS` (one cache round trip per second, not per request), so with a
shared cache (Redis, CACHE_URL) every process reloads within a second, and with the
local-memory cache the process that made the change does at once. Writes that bypass
signals (QuerySet.update, raw SQL, another process on a local-memory cache) show after
the TTL at the latest. A response is always filed under the questionnaire its form was
built from, so a stale copy never mixes data. A service code the process has not seen
active is looked up in the database every time (a new service works at once).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import Element, Questionnaire, Service

TTL_SECONDS = 60
CHECK_SECONDS = 1.0
GENERATION_KEY = "skm:questionnaire-generation"


@dataclass
class _Snapshot:
    questionnaire: Questionnaire
    generation: int
    expires: float
    checked_until: float
    services: dict[str, Service] = field(default_factory=dict)


_memo: _Snapshot | None = None


def _snapshot() -> _Snapshot:
    global _memo
    memo, now = _memo, time.monotonic()
    if memo is not None and now < memo.checked_until:
        return memo
    generation = cache.get(GENERATION_KEY, 0)
    if memo is not None and memo.generation == generation and now < memo.expires:
        memo.checked_until = now + CHECK_SECONDS
        return memo
    memo = _Snapshot(
        questionnaire=Questionnaire.active(),
        generation=generation,
        expires=now + TTL_SECONDS,
        checked_until=now + CHECK_SECONDS,
    )
    _memo = memo
    return memo


def active_questionnaire() -> Questionnaire:
    """`Questionnaire.active()` with its elements prefetched, from the process memo if fresh."""
    return _snapshot().questionnaire


def active_service(code: str) -> Service:
    """The active service with `code` (Service.DoesNotExist if none), from the memo if fresh."""
    try:
        services = _snapshot().services
    except Questionnaire.DoesNotExist:  # no form to show; the view answers 404 either way
        return Service.objects.get(code=code, is_active=True)
    service = services.get(code)
    if service is None:
        service = Service.objects.get(code=code, is_active=True)
        services[code] = service
    return service


def forget(**kwargs) -> None:
    """Drop this process's copy and tell the others (through the cache) to drop theirs."""
    global _memo
    _memo = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


for _model in (Questionnaire, Element, Service):
    post_save.connect(forget, sender=_model, dispatch_uid=f"questionnaire_cache_save_{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"questionnaire_cache_delete_{_model.__name__}")
