"""Sortable column headings of the lists built with `skm_portal.listing`."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("portal/_sort_header.html")
def sort_header(listing, key: str, css: str = ""):
    """A <th> whose link sorts by `key` (ascending first, then descending), with aria-sort."""
    label = listing.form.sorts[key][0]
    current = listing.form.current_sort
    direction = "ascending" if current == key else "descending" if current == f"-{key}" else ""
    following = f"-{key}" if current == key else key
    return {
        "label": label,
        "direction": direction,
        "href": "?" + listing.query_with(sort=following, page=None),
        "css": css,
    }
