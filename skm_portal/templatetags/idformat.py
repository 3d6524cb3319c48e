"""Indonesian number and NIP formatting for templates: {{ value|idnum }} -> 92,38."""

from django import template

from skm_portal.nip import format_nip
from skm_portal.numbers import format_decimal, format_int, format_percent

register = template.Library()


@register.filter
def idnum(value, places=2):
    return format_decimal(value, int(places))


@register.filter
def idnum_signed(value, places=2):
    return format_decimal(value, int(places), sign=True)


@register.filter
def idint(value):
    return format_int(None if value in (None, "") else int(value))


@register.filter
def nip(value):
    return format_nip(value) if value else ""


@register.simple_tag
def percent(part, whole, places=1):
    return format_percent(int(part or 0), int(whole or 0), int(places))
