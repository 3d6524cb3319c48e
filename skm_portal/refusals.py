"""A service's refusal of a step the user asked for: its `message` is for the user, in Indonesian.

Services raise a subclass (permits' TransitionRefused) when a transition may not happen.
`code` says why: FORBIDDEN (the actor's role or relation to the object does not allow it;
views answer 403), STALE (the object moved on: another officer acted first) or INVALID
(a missing note, declaration or document). `field` names the form field the message
belongs to, if any. `skm_portal.formviews.submit` turns a refusal into a 403 or a form
error, like a ValidationError.
"""

from __future__ import annotations


class Refused(Exception):
    FORBIDDEN = "forbidden"
    STALE = "stale"
    INVALID = "invalid"

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
