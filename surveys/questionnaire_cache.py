"""The active questionnaire, remembered per process for the public form's hot path.

Loading the questionnaire and its elements is the largest share of a submission's
database work, and it changes perhaps once a year. A process keeps it for at most
`TTL_SECONDS`; a save or delete of a Questionnaire or Element anywhere signals bumps a
generation number in Django's cache, so with a shared cache (Redis, CACHE_URL) every
process reloads on its next request, and with the local-memory cache the process that
made the change does. Writes that bypass signals (QuerySet.update, raw SQL, another
process on a local-memory cache) show after the TTL at the latest. A response is always
filed under the questionnaire its form was built from, so a stale copy never mixes data.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from .models import Element, Questionnaire

TTL_SECONDS = 60
GENERATION_KEY = "skm:questionnaire-generation"

_memo: tuple[Questionnaire, int, float] | None = None


def active_questionnaire() -> Questionnaire:
    """`Questionnaire.active()` with its elements prefetched, from the process memo if fresh."""
    global _memo
    generation = cache.get(GENERATION_KEY, 0)
    memo = _memo
    if memo is not None and memo[1] == generation and memo[2] > time.monotonic():
        return memo[0]
    questionnaire = Questionnaire.active()
    _memo = (questionnaire, generation, time.monotonic() + TTL_SECONDS)
    return questionnaire


def forget(**kwargs) -> None:
    """Drop this process's copy and tell the others (through the cache) to drop theirs."""
    global _memo
    _memo = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


for _model in (Questionnaire, Element):
    post_save.connect(forget, sender=_model, dispatch_uid=f"questionnaire_cache_save_{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"questionnaire_cache_delete_{_model.__name__}")
