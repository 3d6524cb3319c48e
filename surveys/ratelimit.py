"""Moved to `skm_portal.ratelimit` (one limiter for every public form, atomic counting).

Kept only so that branches written against this module still import; new code uses
`skm_portal.ratelimit.SURVEY` / `COMPLAINT` / `REGISTER` and `client_ip`. Remove once no
branch imports it.
"""

from __future__ import annotations

from skm_portal.ratelimit import SURVEY, client_ip, client_network

__all__ = ["client_ip", "client_network", "is_limited", "record", "retry_after"]


def is_limited(request) -> bool:
    """Deprecated: check-then-record is not atomic; use `SURVEY.take(request)`."""
    use = SURVEY.take(request)
    if use is None:
        return True
    use.give_back()
    return False


def record(request) -> None:
    """Deprecated: use `SURVEY.take(request)` before the work."""
    SURVEY.take(request)


def retry_after() -> int:
    return SURVEY.retry_after()
