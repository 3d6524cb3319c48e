"""Durations and working days as the process log shows them: "2 hari 03:15:20", "2,5"."""

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from skm_portal.dates import deadline_id
from skm_portal.numbers import format_decimal

register = template.Library()


@register.filter
def batas_waktu(value: dt.datetime | None) -> str:
    """A deadline: "Jumat, 4 Desember 2026" (end of that working day) or with its time."""
    return deadline_id(value) if value else "-"


@register.filter
def durasi(value: dt.timedelta | None) -> str:
    if value is None:
        return "-"
    seconds = max(int(value.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return _("%(days)d hari %(clock)s") % {"days": days, "clock": clock} if days else clock


@register.filter
def hari_kerja(value: float | None) -> str:
    """Working days with one decimal, Indonesian style (2,5)."""
    if value is None:
        return "-"
    from decimal import Decimal

    return format_decimal(Decimal(str(round(value, 6))), 1)


@register.filter
def persen(value) -> str:
    """A fraction as a percentage with one decimal, Indonesian style (12,5 %)."""
    if value is None:
        return "-"
    from fractions import Fraction

    return format_decimal(Fraction(value) * 100, 1) + " %"


@register.simple_tag
def complaints_waiting(user):
    """{% complaints_waiting user as waiting %}: (count, nearest) of complaints the user answers."""
    from django.utils import timezone

    from permits.complaints import Action
    from permits.rules import may_act_on_complaint
    from permits.selectors import complaints_awaiting_answer

    count, items = complaints_awaiting_answer(user)
    return {
        "answers": may_act_on_complaint(user, Action.ACCEPT),
        "count": count,
        "items": items,
        "now": timezone.now(),
    }
