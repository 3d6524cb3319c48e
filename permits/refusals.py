"""The one refusal of a permit or complaint service; its `message` is for the user, in Indonesian."""

from __future__ import annotations

from skm_portal.refusals import Refused


class TransitionRefused(Refused):
    """A transition that may not happen: FORBIDDEN, STALE or INVALID (skm_portal.refusals)."""
