"""The charts as printed in the reports: value labels clear of the grade lines, a legend of
what is shown, text at least 8 pt at print size. Geometry is measured with the advance
widths of the face the documents ship (Arimo, node_modules/@fontsource/arimo)."""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest

from surveys import charts
from surveys.ikm import ElementResult

SVG = "{http://www.w3.org/2000/svg}"
ARIMO = Path(__file__).resolve().parents[2] / "node_modules" / "@fontsource" / "arimo" / "files"
PRINT_WIDTH_PT = 15 / 2.54 * 72  # .report-chart svg { width: 15cm } in static/css/documents.css
VALUE = re.compile(r"^\d{2,3},\d\d$")
# Arial/Arimo: capitals and digits reach 0.716 em above the baseline, descenders 0.21 em below.
ASCENT, DESCENT = 0.716, 0.21


@functools.cache
def advances(bold: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(ARIMO / f"arimo-latin-{700 if bold else 400}-normal.woff2")
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    return {code: metrics[name][0] for code, name in cmap.items()}, font["head"].unitsPerEm


def measured_width(text: str, size: float, bold: bool = False) -> float:
    widths, units = advances(bold)
    return sum(widths[ord(ch)] for ch in text) * size / units


def element(code: str, index: Fraction | None) -> ElementResult:
    return ElementResult(
        code=code, name="Unsur", weight=Fraction(1, 11), total=None, answers=None, nrr=None, index=index
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup


def grade_lines(root: ET.Element) -> list[ET.Element]:
    return [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]


def value_labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if VALUE.match(t.text or "")]


def text_box(label: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a text element in user units."""
    size = float(label.get("font-size"))
    width = measured_width(label.text, size, bold=label.get("font-weight") == "bold")
    x, y = float(label.get("x")), float(label.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[label.get("text-anchor", "start")]
    return left, y - ASCENT * size, left + width, y + DESCENT * size


# Indices around every grade boundary (65,00; 76,61; 88,31), a few hundredths apart.
NEAR_THRESHOLDS = [
    Fraction(int(b * 100) + d, 100)
    for b in (65, Fraction(7661, 100), Fraction(8831, 100))
    for d in range(-400, 120, 23)
]


def test_bar_values_never_cross_a_grade_line():
    for start in range(0, len(NEAR_THRESHOLDS), 11):
        batch = NEAR_THRESHOLDS[start : start + 11]
        root = parse(charts.element_bar_chart([element(f"U{n}", v) for n, v in enumerate(batch, start=1)]))
        lines = [float(line.get("x1")) for line in grade_lines(root)]
        assert len(lines) == 3
        labels = value_labels(root)
        assert len(labels) == len(batch)
        for label in labels:
            left, _top, right, _bottom = text_box(label)
            crossing = [x for x in lines if left - 1 <= x <= right + 1]
            assert not crossing, f"{label.text} spans {left:.1f}-{right:.1f}, grade line at {crossing}"
            assert right <= float(root.get("width")), f"{label.text} runs off the chart"


def test_bar_chart_grade_line_labels_do_not_overlap_each_other():
    root = parse(charts.element_bar_chart([element("U1", Fraction(90))]))
    boxes = [text_box(t) for t in root.iter(f"{SVG}text") if " mulai " in (t.text or "")]
    assert len(boxes) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            separate = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert separate, (a, b)


@pytest.mark.parametrize(
    "values",
    [
        [Fraction(8831, 100), Fraction(8790, 100), Fraction(8870, 100)],
        [Fraction(7700, 100), Fraction(7640, 100), Fraction(8831, 100), Fraction(8850, 100)],
        [Fraction(6520, 100), Fraction(7661, 100), Fraction(9238, 100), Fraction(9170, 100)],
        [Fraction(8800, 100), Fraction(8860, 100)],
        [Fraction(8730, 100), Fraction(8760, 100), Fraction(9000, 100)],  # a grade line just above the values
        [Fraction(7580, 100), Fraction(8000, 100), Fraction(8720, 100)],
    ],
)
def test_trend_values_never_cross_a_grade_line(values):
    points = [charts.TrendValue(f"Periode {n}", v) for n, v in enumerate(values, start=1)]
    root = parse(charts.ikm_trend_chart(points))
    lines = [float(line.get("y1")) for line in grade_lines(root)]
    assert lines, "the range includes at least one grade boundary"
    for label in value_labels(root):
        _left, top, _right, bottom = text_box(label)
        crossing = [y for y in lines if top - 1 <= y <= bottom + 1]
        assert not crossing, f"{label.text} spans y {top:.1f}-{bottom:.1f}, grade line at {crossing}"


PERIOD = re.compile(r"^(Semester|Triwulan|Periode|\d{4})")
ROTATE = re.compile(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)")


def period_corners(label: ET.Element) -> list[tuple[float, float]]:
    """The four corners of a period name's box, turned as its `transform` turns it."""
    left, top, right, bottom = text_box(label)
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    turn = ROTATE.fullmatch(label.get("transform") or "")
    if not turn:
        return corners
    angle, cx, cy = (float(value) for value in turn.groups())
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in corners]


def overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Whether two convex quadrilaterals overlap (no separating edge direction)."""
    for shape in (a, b):
        for (x1, y1), (x2, y2) in zip(shape, shape[1:] + shape[:1], strict=True):
            normal = (y1 - y2, x2 - x1)
            pa = [normal[0] * x + normal[1] * y for x, y in a]
            pb = [normal[0] * x + normal[1] * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


YEARS = ("Semester I 2024", "Triwulan III 2024", "Triwulan I 2025", "Semester I 2025", "Triwulan II 2025")


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 12])
def test_period_names_never_overlap_and_stay_inside_the_chart(count):
    names = [*YEARS, "Triwulan III 2025", "Semester II 2025", "Triwulan IV 2025", *(f"Periode {n}" for n in range(4))]
    points = [charts.TrendValue(names[n], Fraction(8500 + 37 * n, 100)) for n in range(count)]
    root = parse(charts.ikm_trend_chart(points))
    width, height = float(root.get("width")), float(root.get("height"))
    labels = [t for t in root.iter(f"{SVG}text") if PERIOD.match(t.text or "") and t.get("y")]
    shapes = [period_corners(label) for label in labels]
    assert len(labels) >= count  # a name on one line, or on two ("2024" below)
    for shape in shapes:
        assert all(0 <= x <= width and 0 <= y <= height for x, y in shape), shape
    for i, a in enumerate(shapes):
        for b in shapes[i + 1 :]:
            assert not overlap(a, b), (a, b)
    legend = [t for t in root.iter(f"{SVG}text") if t.text == "dihitung dari jawaban"]
    lowest = max(y for shape in shapes for _x, y in shape)
    assert text_box(legend[0])[1] > lowest, "the legend sits below the period names"


def test_the_legends_list_only_what_is_shown():
    labels = [
        t.text
        for t in parse(charts.element_bar_chart([element("U1", Fraction(92)), element("U2", Fraction(80))])).iter(
            f"{SVG}text"
        )
    ]
    assert "A Sangat Baik" in labels and "B Baik" in labels
    assert "C Kurang Baik" not in labels and "D Tidak Baik" not in labels

    published_only = [charts.TrendValue("Semester I 2024", Fraction(9238, 100), published=True)]
    labels = [t.text for t in parse(charts.ikm_trend_chart(published_only)).iter(f"{SVG}text")]
    assert "hasil yang telah dipublikasikan" in labels and "dihitung dari jawaban" not in labels
    computed_only = [charts.TrendValue("Semester I 2025", Fraction(8708, 100))]
    labels = [t.text for t in parse(charts.ikm_trend_chart(computed_only)).iter(f"{SVG}text")]
    assert "dihitung dari jawaban" in labels and "hasil yang telah dipublikasikan" not in labels


def test_every_text_prints_at_8_pt_or_more():
    bar = charts.element_bar_chart(
        [element(f"U{n}", Fraction(70 + 2 * n)) for n in range(1, 12)], title="Semester I 2024"
    )
    trend = charts.ikm_trend_chart(
        [
            charts.TrendValue("Semester I 2024", Fraction(9238, 100), published=True),
            charts.TrendValue("Triwulan III 2024", Fraction(8708, 100)),
        ]
    )
    for svg in (bar, trend):
        root = parse(svg)
        points_per_unit = PRINT_WIDTH_PT / float(root.get("width"))
        sizes = {float(t.get("font-size")) * points_per_unit for t in root.iter(f"{SVG}text")}
        assert min(sizes) >= 8, sorted(sizes)
