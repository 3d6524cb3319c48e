"""Signals the meetings half sends so that apps above it (reports) can take part without
the follow-up importing them."""

from django.dispatch import Signal

# Sent with `meeting` when the app asks whether the invitation's number is final; a receiver
# returns True when something it owns makes it final (reports: the year's signed report).
letter_finality = Signal()

# Sent by the demo with `meetings` (a queryset) before it deletes its own meetings, so that
# records of other apps pointing at them (reports: signed invitations) go first.
demo_meetings_clearing = Signal()
