"""Server-rendered SVG charts of SKM results: no JavaScript, no page CSS.

Plain Python producing markup strings (only gettext from Django). Every text is escaped here; the charts carry their
own size, viewBox, fonts and colours so the same markup works in a page and in a
WeasyPrint PDF. The returned `Svg` marks itself safe for Django templates (`__html__`).
"""

from __future__ import annotations

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


class Svg(str):
    """SVG markup whose text content was escaped when it was built."""

    def __html__(self) -> str:
        return str(self)


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: short, locale-free."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, *, size: int = 12, anchor: str = "start", fill: str = TEXT, **extra) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in extra.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{attrs}>'
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


def _legend(x: float, y: float) -> list[str]:
    parts = []
    for grade in GRADES:
        parts.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="10" height="10" fill="{GRADE_COLOURS[grade.letter]}"/>')
        label = f"{grade.letter} {grade.performance}"
        parts.append(_text(x + 14, y, label, size=11))
        x += 24 + 6.5 * len(label)
    return parts


def element_bar_chart(elements: Sequence[ElementResult], *, title: str | None = None, width: int = 640) -> Svg:
    """Horizontal bars of each element's index (25-100), coloured by grade.

    Dashed lines mark where grades B and A (and C) begin; each bar carries its value in
    Indonesian format. Elements without answers show "-" and no bar.
    """
    title = title or _("Indeks per unsur")
    row_h = 26
    left, right, top = 56, 64, 46
    bottom = 56
    height = top + row_h * max(len(elements), 1) + bottom
    plot_w = width - left - right

    def x_of(value: Fraction | Decimal | int) -> float:
        clamped = min(max(Fraction(value), AXIS_MIN), AXIS_MAX)
        return left + float((clamped - AXIS_MIN) / (AXIS_MAX - AXIS_MIN)) * plot_w

    body = [_text(left, 20, title, size=14, font_weight="bold")]
    plot_bottom = top + row_h * max(len(elements), 1)
    for tick in range(AXIS_MIN, AXIS_MAX + 1, 25):
        x = x_of(tick)
        body.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{plot_bottom}" stroke="{GRID}"/>')
        body.append(_text(x, plot_bottom + 14, str(tick), size=10, anchor="middle", fill=MUTED))
    for letter, lowest in _thresholds():
        x = x_of(lowest)
        body.append(
            f'<line x1="{_n(x)}" y1="{top - 8}" x2="{_n(x)}" y2="{plot_bottom}" '
            f'stroke="{GRADE_COLOURS[letter]}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        body.append(
            _text(
                x,
                top - 12,
                _grade_line_label(letter, lowest),
                size=10,
                anchor="middle",
                fill=GRADE_COLOURS[letter],
            )
        )
    for row, element in enumerate(elements):
        y = top + row * row_h
        mid = y + row_h / 2 + 4
        body.append(_text(left - 8, mid, element.code, size=12, anchor="end"))
        if element.index is None:
            body.append(_text(left + 4, mid, "-", size=12, fill=MUTED))
            continue
        x_end = x_of(element.index)
        colour = grade_colour(element.index)
        value = format_decimal(element.index)
        body.append(
            f'<rect x="{left}" y="{_n(y + 5)}" width="{_n(max(x_end - left, 1))}" height="{row_h - 10}" '
            f'fill="{colour}"><title>{_e(f"{element.code} {element.name}: {value}")}</title></rect>'
        )
        body.append(_text(x_end + 4, mid, value, size=12))
    body.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{plot_bottom}" stroke="{MUTED}"/>')
    body += _legend(left, height - 12)
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


def ikm_trend_chart(points: Sequence[TrendValue], *, title: str | None = None, width: int = 640) -> Svg:
    """A line through each period's IKM in order; gaps where a period has no IKM.

    The vertical axis starts below the lowest value (in steps of 5) so changes stay
    visible; grade thresholds inside the range are dashed lines. Hollow markers are
    entered published aggregates, filled markers are computed from responses.
    """
    title = title or _("Tren IKM per periode")
    height = 300
    left, right, top, bottom = 48, 76, 40, 74
    plot_w, plot_h = width - left - right, height - top - bottom
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
        return left + 20 + position * (plot_w - 40) / (len(points) - 1)

    body = [_text(left, 20, title, size=14, font_weight="bold")]
    step = 5 if high - low <= 40 else 25
    for tick in range(high, low - 1, -step):
        y = y_of(Fraction(tick))
        body.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, str(tick), size=10, anchor="end", fill=MUTED))
    for letter, lowest in _thresholds():
        if not low < lowest < high:
            continue
        y = y_of(Fraction(lowest))
        colour = GRADE_COLOURS[letter]
        body.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{colour}" '
            f'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        body.append(_text(width - right + 4, y + 4, _grade_line_label(letter, lowest), size=10, fill=colour))
    if not points:
        body.append(_text(width / 2, top + plot_h / 2, _("Belum ada periode"), size=12, anchor="middle", fill=MUTED))
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
    for position, point in enumerate(points):
        x = x_of(position)
        for line_no, part in enumerate(_split_label(point.label)):
            body.append(_text(x, top + plot_h + 18 + 13 * line_no, part, size=11, anchor="middle"))
        if point.ikm is None:
            body.append(_text(x, top + plot_h - 6, "-", size=12, anchor="middle", fill=MUTED))
            continue
        y = y_of(Fraction(point.ikm))
        colour = grade_colour(point.ikm)
        value = format_decimal(point.ikm)
        fill = "#ffffff" if point.published else colour
        body.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{fill}" stroke="{colour}" stroke-width="2">'
            f"<title>{_e(f'{point.label}: {value}')}</title></circle>"
        )
        body.append(_text(x, y - 10, value, size=12, anchor="middle", font_weight="bold"))
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{MUTED}"/>')
    legend_y = height - 10
    body.append(f'<circle cx="{left + 5}" cy="{legend_y - 4}" r="4" fill="{TEXT}"/>')
    body.append(_text(left + 14, legend_y, _("dihitung dari jawaban"), size=11))
    body.append(
        f'<circle cx="{left + 175}" cy="{legend_y - 4}" r="4" fill="#ffffff" stroke="{TEXT}" stroke-width="2"/>'
    )
    body.append(_text(left + 184, legend_y, _("agregat terpublikasi"), size=11))
    return _svg(width, height, title, body)
