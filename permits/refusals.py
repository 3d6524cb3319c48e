"""The one refusal of a permit or complaint service; its `message` is for the user, in Indonesian."""

from __future__ import annotations


class TransitionRefused(Exception):
    """A transition that may not happen; `message` is for the user, in Indonesian."""

    FORBIDDEN = "forbidden"  # the actor's role or relation to the file does not allow it
    STALE = "stale"  # the file moved on (another officer acted first)
    INVALID = "invalid"  # missing note, declaration or document

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
