"""Line-breaking filters for printed documents (static/css/documents.css).

An office's letter never splits a name's academic degrees ("S.E., M.M"), a NIP, a letter
number, a telephone number or a date across two lines, and breaks a web address only at its
slashes. `keep` makes a value one unbreakable unit; `keep_name` keeps the degrees and
honorifics of a name together so a long name in a narrow table cell still wraps, between
its own words only; `url_breaks` marks the slashes as the only places a URL may break.
"""

from __future__ import annotations

import itertools
import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

NBSP = "\u00a0"
ZERO_WIDTH_SPACE = "\u200b"  # in the shipped face (Arimo latin subset), so no fallback font

# "S.E.", "M.M", "S.Sos.", "M.Si", "Dr.", "Ir.", "H.", "Hj.", "A.Md.Kom", "S.Kom" ...: a
# token ending in a dot, or a short capitalised token with an inner dot.
_DEGREE = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.(?:[A-Za-z]{1,5}\.?)*|[A-Z]{1,3})$")


@register.filter(is_safe=True)
def keep(value) -> SafeString:
    """The value as one unit that never breaks across lines."""
    if value is None or value == "":
        return mark_safe("")
    return format_html('<span class="keep">{}</span>', value)


def _glue_name(name: str) -> str:
    """NBSP between the words that must stay together: prefix titles ("Dr. Ir. H.") with the
    word after them, and each degree after a comma with what precedes it."""
    words = name.split()
    if not words:
        return name
    glued = [words[0]]
    in_prefix = bool(_DEGREE.match(words[0]))
    for previous, word in itertools.pairwise(words):
        if in_prefix or (previous.endswith(",") and _DEGREE.match(word.rstrip(","))):
            glued[-1] = f"{glued[-1]}{NBSP}{word}"
        else:
            glued.append(word)
        in_prefix = in_prefix and bool(_DEGREE.match(word))
    return " ".join(glued)


@register.filter(is_safe=True)
def keep_name(value) -> SafeString:
    """A person's name whose degrees ("S.E., M.M") and prefix titles ("Dr.") never part."""
    if not value:
        return mark_safe("")
    return mark_safe(_glue_name(str(conditional_escape(value))))  # noqa: S308 - escaped above


@register.filter(is_safe=True)
def url_breaks(value) -> SafeString:
    """A web address that may break after a slash and nowhere else."""
    if not value:
        return mark_safe("")
    # Each part up to and including a slash never breaks (not at "-" or "." either); the
    # zero-width space between parts is the only break opportunity. "https://" is one part.
    parts = re.findall(r"[^/]*(?:/+|$)", str(value))
    spans = [format_html('<span class="url-part">{}</span>', part) for part in parts if part]
    return format_html('<span class="url">{}</span>', mark_safe(ZERO_WIDTH_SPACE.join(spans)))  # noqa: S308
