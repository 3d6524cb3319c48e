"""SVG charts: self-contained, escaped, values in Indonesian format, bars coloured by grade."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

from django.template import Context, Template

from surveys import charts
from surveys.ikm import ElementResult

NS = {"svg": "http://www.w3.org/2000/svg"}
# The grade table of PermenPAN-RB 14/2017 (DOMAIN.md), typed in: lowest index -> colour used.
EXPECTED_COLOUR = [
    (Decimal("88.31"), "#198754"),  # A
    (Decimal("76.61"), "#0d6efd"),  # B
    (Decimal("65.00"), "#fd7e14"),  # C
    (Decimal("25.00"), "#dc3545"),  # D
]


def colour_for(index_2dp: str) -> str:
    value = Decimal(index_2dp)
    return next(colour for lowest, colour in EXPECTED_COLOUR if value >= lowest)


def element(code: str, index: Fraction | None, name: str = "Unsur") -> ElementResult:
    return ElementResult(
        code=code,
        name=name,
        weight=Fraction(1, 3),
        total=None,
        answers=None,
        nrr=None if index is None else index / 25,
        index=index,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own markup


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_bar_chart_is_self_contained_svg():
    root = parse(charts.element_bar_chart([element("U1", Fraction(9479, 100))]))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert "sans-serif" in root.get("font-family")
    assert root.get("class") is None


def test_bar_per_element_coloured_by_grade_with_indonesian_values():
    # Boundary values: 88,305 rounds half-up to 88,31 (A); 88,3049 to 88,30 (B); 76,605 to 76,61 (B).
    cases = [
        ("U1", Fraction(88305, 1000), "88.31", "88,31"),
        ("U2", Fraction(883049, 10000), "88.30", "88,30"),
        ("U3", Fraction(76605, 1000), "76.61", "76,61"),
        ("U4", Fraction(6499, 100), "64.99", "64,99"),
        ("U5", Fraction(65), "65.00", "65,00"),
    ]
    root = parse(charts.element_bar_chart([element(code, value) for code, value, _d, _t in cases]))
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("svg:title", NS) is not None]
    assert len(bars) == len(cases)
    labels = texts(root)
    for (code, _value, decimal_2dp, shown), bar in zip(cases, bars, strict=True):
        assert bar.get("fill") == colour_for(decimal_2dp), code
        assert bar.find("svg:title", NS).text == f"{code} Unsur: {shown}"
        assert code in labels and shown in labels
    # Longer bar for a larger index.
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] > widths[2] > widths[3]


def test_bar_chart_shows_grade_thresholds():
    labels = texts(parse(charts.element_bar_chart([element("U1", Fraction(90))])))
    assert "A mulai 88,31" in labels
    assert "B mulai 76,61" in labels
    assert "C mulai 65,00" in labels


def test_element_without_answers_has_no_bar():
    root = parse(charts.element_bar_chart([element("U1", Fraction(90)), element("U2", None)]))
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("svg:title", NS) is not None]
    assert len(bars) == 1
    assert "-" in texts(root)


def test_text_is_escaped():
    nasty = '<script>alert("x")</script> & "Biaya"'
    svg = charts.element_bar_chart([element("U1", Fraction(90), name=nasty)], title="Judul <b>&</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "Judul <b>&</b>" in titles
    assert f"U1 {nasty}: 90,00" in titles


def test_trend_chart_line_points_and_gaps():
    points = [
        charts.TrendValue("Semester I 2024", Fraction(101617, 1100), published=True),
        charts.TrendValue("Triwulan III 2024", Fraction(100871, 1100), published=True),
        charts.TrendValue("Triwulan IV 2024", None),
        charts.TrendValue("Semester I 2025", Fraction(8708, 100)),
        charts.TrendValue("Triwulan III 2025", Fraction(88)),
    ]
    root = parse(charts.ikm_trend_chart(points))
    lines = list(root.iter("{http://www.w3.org/2000/svg}polyline"))
    # The missing period splits the line in two segments of two points each.
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    circles = [c for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.find("svg:title", NS) is not None]
    assert len(circles) == 4
    # 101617/1100 = 92,379.. -> 92,38; 100871/1100 = 91,700.. -> 91,70 (published: hollow markers).
    assert circles[0].find("svg:title", NS).text == "Semester I 2024: 92,38"
    assert circles[1].find("svg:title", NS).text == "Triwulan III 2024: 91,70"
    assert circles[0].get("fill") == "#ffffff" and circles[2].get("fill") != "#ffffff"
    # Higher IKM is drawn higher (smaller y).
    ys = [float(c.get("cy")) for c in circles]
    assert ys[0] < ys[1] < ys[3] < ys[2]
    assert circles[2].get("stroke") == colour_for("87.08")
    assert "2024" in texts(root)


def test_trend_chart_without_periods():
    root = parse(charts.ikm_trend_chart([]))
    assert "Belum ada periode" in texts(root)


def test_svg_renders_unescaped_in_templates():
    svg = charts.element_bar_chart([element("U1", Fraction(90))])
    rendered = Template("{{ chart }}").render(Context({"chart": svg}))
    assert rendered == str(svg)
    assert rendered.startswith("<svg")
