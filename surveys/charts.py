"""Server-rendered SVG charts of SKM results: no JavaScript, no page CSS.

Plain Python producing markup strings (only gettext from Django). Every text is escaped here; the charts carry their
own size, viewBox, fonts and colours so the same markup works in a page and in a
WeasyPrint PDF. The returned `Svg` marks itself safe for Django templates (`__html__`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape

from django.utils.translation import gettext as _

from skm_portal.numbers import format_decimal

from .ikm import GRADES, SCALE, ElementResult, grade_for

FONT = "Arimo, Arial, Helvetica, sans-serif"  # Arimo: the face shipped for documents (static/css/fonts.css)
GRADE_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#fd7e14", "D": "#dc3545"}
NO_VALUE_COLOUR = "#adb5bd"
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
AXIS_MIN = SCALE  # the converted index runs from 25 to 100
AXIS_MAX = 100
# The reports print a 640-unit-wide chart 15 cm wide (static/css/documents.css .report-chart):
# one unit is 0.664 pt, so the smallest text (SMALL, 12.5 units) prints at 8.3 pt.
PRINT_WIDTH_CM = 15
SMALL = 12.5  # axis ticks, grade lines, legend
NORMAL = 13  # element codes, values, period names
TITLE = 15
# Text advance per character in em, Arial/Arimo metrics rounded up (digits 0.556 em): the
# boxes used to keep value labels clear of the grade lines.
_WIDE_CHARS = set("ABCDEFGHKNOPQRSUVXYZmw")


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` at `size` (user units)."""
    em = sum(0.3 if ch in ",. ;:I" else 0.75 if ch in _WIDE_CHARS else 0.6 for ch in text)
    return em * size


class Svg(str):
    """SVG markup whose text content was escaped when it was built."""

    def __html__(self) -> str:
        return str(self)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: short, locale-free."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(
    x: float, y: float, content: str, *, size: float = NORMAL, anchor: str = "start", fill: str = TEXT, **extra
) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in extra.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}" fill="{fill}"{attrs}>'
        f"{_e(content)}</text>"
    )


def _svg(width: int, height: int, label: str, body: list[str]) -> Svg:
    return Svg(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}" '
        f'font-family="{FONT}">'
        f"<title>{_e(label)}</title>"
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def grade_colour(index: Fraction | Decimal | int | None) -> str:
    return NO_VALUE_COLOUR if index is None else GRADE_COLOURS[grade_for(index).letter]


def _thresholds() -> list[tuple[str, Decimal]]:
    """(letter, lowest index) of every grade above the floor of the scale."""
    return [(g.letter, g.lowest_index) for g in GRADES if g.lowest_index > AXIS_MIN]


def _grade_line_label(letter: str, lowest: Decimal) -> str:
    # No "≥": the shipped face (subsets latin, latin-ext) has no glyph for it.
    return _("%(grade)s mulai %(index)s") % {"grade": letter, "index": format_decimal(lowest)}


def _legend(x: float, y: float, letters: set[str]) -> list[str]:
    """Swatches of the grades present only (a legend never lists what the chart does not show)."""
    parts = []
    for grade in GRADES:
        if grade.letter not in letters:
            continue
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="11" height="11" fill="{GRADE_COLOURS[grade.letter]}"/>'
        )
        label = f"{grade.letter} {grade.performance}"
        parts.append(_text(x + 15, y, label, size=SMALL))
        x += 15 + text_width(label, SMALL) + 14
    return parts


def _clear_of(start: float, end: float, lines: Sequence[float], gap: float = 3) -> float:
    """The smallest start >= `start` whose box [start, start + (end - start)] crosses no line."""
    width = end - start
    for line in sorted(lines):
        if start - gap < line < start + width + gap:
            start = line + gap
    return start


def element_bar_chart(elements: Sequence[ElementResult], *, title: str | None = None, width: int = 640) -> Svg:
    """Horizontal bars of each element's index (25-100), coloured by grade.

    Dashed lines mark where grades B and A (and C) begin, labelled above the plot on two
    alternating rows; each bar carries its value in Indonesian format, moved right of a
    grade line it would otherwise cross. Elements without answers show "-" and no bar.
    The legend lists the grades that occur.
    """
    title = title or _("Indeks per unsur")
    row_h = 27
    left, right, top = 56, 70, 66
    bottom = 62
    height = top + row_h * max(len(elements), 1) + bottom
    plot_w = width - left - right

    def x_of(value: Fraction | Decimal | int) -> float:
        clamped = min(max(Fraction(value), AXIS_MIN), AXIS_MAX)
        return left + float((clamped - AXIS_MIN) / (AXIS_MAX - AXIS_MIN)) * plot_w

    body = [_text(left, 22, title, size=TITLE, font_weight="bold")]
    plot_bottom = top + row_h * max(len(elements), 1)
    for tick in range(AXIS_MIN, AXIS_MAX + 1, 25):
        x = x_of(tick)
        body.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}"/>')
        body.append(_text(x, plot_bottom + 17, str(tick), size=SMALL, anchor="middle", fill=MUTED))
    grade_lines = []
    for position, (letter, lowest) in enumerate(reversed(_thresholds())):  # C, B, A: alternate rows
        x = x_of(lowest)
        grade_lines.append(x)
        label_y = top - 24 if position % 2 == 0 else top - 9
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(label_y + 3)}" x2="{_n(x)}" y2="{plot_bottom}" '
            f'stroke="{GRADE_COLOURS[letter]}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        body.append(_text(x + 3, label_y, _grade_line_label(letter, lowest), size=SMALL, fill=GRADE_COLOURS[letter]))
    present = set()
    for row, element in enumerate(elements):
        y = top + row * row_h
        mid = y + row_h / 2 + 4.5
        body.append(_text(left - 8, mid, element.code, size=NORMAL, anchor="end"))
        if element.index is None:
            body.append(_text(left + 4, mid, "-", size=NORMAL, fill=MUTED))
            continue
        x_end = x_of(element.index)
        colour = grade_colour(element.index)
        present.add(grade_for(element.index).letter)
        value = format_decimal(element.index)
        body.append(
            f'<rect x="{left}" y="{_n(y + 5)}" width="{_n(max(x_end - left, 1))}" height="{row_h - 10}" '
            f'fill="{colour}"><title>{_e(f"{element.code} {element.name}: {value}")}</title></rect>'
        )
        label_x = _clear_of(x_end + 4, x_end + 4 + text_width(value, NORMAL), grade_lines)
        body.append(_text(label_x, mid, value, size=NORMAL))
    body.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{plot_bottom}" stroke="{MUTED}"/>')
    body += _legend(left, height - 12, present)
    return _svg(width, height, title, body)


@dataclass(frozen=True)
class TrendValue:
    label: str  # the period's name
    ikm: Fraction | Decimal | None
    published: bool = False  # entered aggregate: hollow marker


def _split_label(label: str, limit: int = 14) -> list[str]:
    """Up to two lines: "Semester I 2024" -> ["Semester I", "2024"]."""
    if len(label) <= limit or " " not in label:
        return [label]
    head, _sep, tail = label.rpartition(" ")
    return [head, tail]


SLANT = math.radians(35)  # period names that do not fit side by side


def _slanted_labels(points: Sequence[TrendValue], plot_w: float) -> float:
    """0 where every period's name fits between its neighbours (on up to two lines); else the
    width of the longest name, to be written slanted (SLANT) on one line."""
    if len(points) < 2:
        return 0
    spacing = (plot_w - 60) / (len(points) - 1)
    widest = max(text_width(line, NORMAL) for point in points for line in _split_label(point.label))
    if widest + 8 <= spacing:
        return 0
    return max(text_width(point.label, NORMAL) for point in points)


def ikm_trend_chart(points: Sequence[TrendValue], *, title: str | None = None, width: int = 640) -> Svg:
    """A line through each period's IKM in order; gaps where a period has no IKM.

    The vertical axis starts below the lowest value (in steps of 5) so changes stay
    visible; grade thresholds inside the range are dashed lines. A value's label sits above
    its marker, or below it when a grade line would cross it there. Hollow markers are
    entered published aggregates, filled markers are computed from responses; the legend
    names only the kinds shown.
    """
    title = title or _("Tren IKM per periode")
    left, right, top, plot_h = 52, 100, 44, 186
    # Period names side by side where they fit (two lines each), else slanted, each on one line
    # ending under its point: room below the plot for the longest, and on the left for the first.
    slant = _slanted_labels(points, width - left - right)
    if slant:
        left = max(left, math.ceil(slant * math.cos(SLANT) - 30 + 4))
        bottom = math.ceil(16 + slant * math.sin(SLANT) + NORMAL) + 30
    else:
        bottom = 80
    height = top + plot_h + bottom
    plot_w = width - left - right
    values = [Fraction(p.ikm) for p in points if p.ikm is not None]
    low = AXIS_MIN
    if values:
        low = max(AXIS_MIN, (int(min(values)) - 5) // 5 * 5)
    high = AXIS_MAX

    def y_of(value: Fraction) -> float:
        return top + float((high - value) / (high - low)) * plot_h

    def x_of(position: int) -> float:
        if len(points) <= 1:
            return left + plot_w / 2
        return left + 30 + position * (plot_w - 60) / (len(points) - 1)

    body = [_text(left, 22, title, size=TITLE, font_weight="bold")]
    step = 5 if high - low <= 40 else 25
    for tick in range(high, low - 1, -step):
        y = y_of(Fraction(tick))
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4.5, str(tick), size=SMALL, anchor="end", fill=MUTED))
    grade_lines = []
    for letter, lowest in _thresholds():
        if not low < lowest < high:
            continue
        y = y_of(Fraction(lowest))
        grade_lines.append(y)
        colour = GRADE_COLOURS[letter]
        body.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{colour}" '
            f'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        body.append(_text(width - right + 4, y + 4.5, _grade_line_label(letter, lowest), size=SMALL, fill=colour))
    if not points:
        body.append(
            _text(width / 2, top + plot_h / 2, _("Belum ada periode"), size=NORMAL, anchor="middle", fill=MUTED)
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for position, point in enumerate(points):
        if point.ikm is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{_n(x_of(position))},{_n(y_of(Fraction(point.ikm)))}")
    if segment:
        segments.append(segment)
    for line in segments:
        if len(line) > 1:
            body.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{TEXT}" stroke-width="2"/>')
    kinds = set()
    for position, point in enumerate(points):
        x = x_of(position)
        if slant:
            end_x, end_y = x + 4, top + plot_h + 16  # the name ends just right of, and below, its point
            turn = f"rotate({_n(-math.degrees(SLANT))} {_n(end_x)} {_n(end_y)})"
            body.append(_text(end_x, end_y, point.label, size=NORMAL, anchor="end", transform=turn))
        else:
            for line_no, part in enumerate(_split_label(point.label)):
                body.append(_text(x, top + plot_h + 20 + 15 * line_no, part, size=NORMAL, anchor="middle"))
        if point.ikm is None:
            body.append(_text(x, top + plot_h - 6, "-", size=NORMAL, anchor="middle", fill=MUTED))
            continue
        kinds.add(point.published)
        y = y_of(Fraction(point.ikm))
        colour = grade_colour(point.ikm)
        value = format_decimal(point.ikm)
        fill = "#ffffff" if point.published else colour
        body.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{fill}" stroke="{colour}" stroke-width="2">'
            f"<title>{_e(f'{point.label}: {value}')}</title></circle>"
        )
        body.append(_text(x, _value_baseline(y, grade_lines), value, size=NORMAL, anchor="middle", font_weight="bold"))
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{MUTED}"/>')
    legend_y, legend_x = height - 10, left
    for published, label in ((False, _("dihitung dari jawaban")), (True, _("hasil yang telah dipublikasikan"))):
        if published not in kinds:
            continue
        fill = "#ffffff" if published else TEXT
        body.append(
            f'<circle cx="{_n(legend_x + 5)}" cy="{legend_y - 4}" r="4" fill="{fill}" stroke="{TEXT}" stroke-width="2"/>'
        )
        body.append(_text(legend_x + 14, legend_y, label, size=SMALL))
        legend_x += 14 + text_width(label, SMALL) + 20
    return _svg(width, height, title, body)


def _value_baseline(marker_y: float, grade_lines: Sequence[float]) -> float:
    """Where a value's label goes: above the marker, else below, else further up; the
    first place where no grade line crosses the label's box (cap height above baseline)."""
    box = NORMAL  # from baseline - NORMAL (ascenders) to baseline + 3 (descenders)
    for baseline in (marker_y - 10, marker_y + 10 + box, marker_y - 10 - box - 6, marker_y + 2 * box + 16):
        if not any(baseline - box - 2 < line < baseline + 5 for line in grade_lines):
            return baseline
    return marker_y - 10
