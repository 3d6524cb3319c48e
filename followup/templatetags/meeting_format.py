"""Dates and times of letters: {{ d|date_long }} -> "Senin, 11 November 2024"."""

from django import template

from followup.meetings import words

register = template.Library()


@register.filter
def date_long(value):
    return words.date_long(value) if value else ""


@register.filter
def date_plain(value):
    return words.date_plain(value) if value else ""


@register.filter
def day_name(value):
    return words.day_name(value) if value else ""


@register.filter
def roman(value):
    return words.roman(int(value)) if value else ""


@register.filter
def blank_numbers(start, count):
    """Numbers of the empty rows after the last attendee: {% for n in last|blank_numbers:5 %}."""
    try:
        first, count = int(start or 0) + 1, int(count or 0)
    except (TypeError, ValueError):
        return range(0)
    return range(first, first + max(count, 0))
