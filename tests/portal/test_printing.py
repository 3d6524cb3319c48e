"""Print rules of static/css/documents.css and skm_portal/templatetags/printing.py, checked on
the PDFs WeasyPrint makes: what breaks where, what stays together, where the footer sits."""

import re
import subprocess
from pathlib import Path

import pytest
from django.template import Context, Template

from skm_portal.pdf import html_to_pdf

A4_HEIGHT_PT = 841.89
CM = 72 / 2.54

HEAD = '<!doctype html><html lang="id"><head><meta charset="utf-8"><link rel="stylesheet" href="/static/css/documents.css"></head><body>'
FILLER = (
    "Sehubungan dengan pelaksanaan Survei Kepuasan Masyarakat pada Dinas Penanaman Modal dan Pelayanan "
    "Terpadu Satu Pintu, dengan ini kami sampaikan hasil pengolahan data serta rencana tindak lanjutnya. "
)


def render(template: str, **context) -> str:
    return Template("{% load printing %}" + template).render(Context(context))


def words_by_page(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word with its box (xMin, yMin, xMax, yMax in pt from the top-left)."""
    path = tmp_path / "print-under-test.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-bbox", str(path), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        )
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in words])
    return pages


def line_of(words, text: str) -> list[str]:
    """The words on the same baseline as the first word equal to `text`."""
    target = next(w for w in words if w[4] == text)
    return [w[4] for w in words if abs(w[3] - target[3]) < 1]


def test_keep_name_glues_degrees_and_prefix_titles_only():
    glued = render("{{ n|keep_name }}", n="Dr. Ir. H. Muhammad Syaiful Anwar, S.E., M.Si")
    assert glued == "Dr.\u00a0Ir.\u00a0H.\u00a0Muhammad Syaiful Anwar,\u00a0S.E.,\u00a0M.Si"
    assert render("{{ n|keep_name }}", n="Fahmi Prima Laksana, SE, MM") == "Fahmi Prima Laksana,\u00a0SE,\u00a0MM"
    assert render("{{ n|keep_name }}", n="Budi <b>") == "Budi &lt;b&gt;"


def test_url_breaks_only_after_slashes_and_keep_is_one_unit():
    marked = render("{{ u|url_breaks }}", u="https://bit.ly/FKP_DPMPTSP?a=1&b=2")
    assert marked == (
        '<span class="url"><span class="url-part">https://</span>\u200b<span class="url-part">bit.ly/</span>'
        '\u200b<span class="url-part">FKP_DPMPTSP?a=1&amp;b=2</span></span>'
    )
    assert render("{{ v|keep }}", v="500.16.7.2/1493/DPMPTSP-IV/2024") == (
        '<span class="keep">500.16.7.2/1493/DPMPTSP-IV/2024</span>'
    )


def test_degrees_dates_and_letter_numbers_stay_on_one_line(tmp_path):
    # A narrow column forces every line to break; the kept units must not.
    cell = (
        "{{ name|keep_name }} menandatangani surat nomor {{ number|keep }} pada tanggal {{ date|keep }} "
        "lihat di {{ url|url_breaks }}"
    )
    body = render(
        f'<div style="width:5.6cm">{cell}</div>' * 3,
        name="Heru Pratama, S.Sos., M.Si",
        number="500.16.7.2/1493/DPMPTSP-IV/2024",
        date="11 November 2024",
        url="https://dpmptsp.kaltimprov.go.id/berkas/bahan-rapat-evaluasi-sop",
    )
    pages = words_by_page(html_to_pdf(HEAD + body + "</body></html>"), tmp_path)
    words = pages[0]
    assert line_of(words, "S.Sos.,")[-2:] == ["S.Sos.,", "M.Si"]
    assert "500.16.7.2/1493/DPMPTSP-IV/2024" in [w[4] for w in words]
    date_line = line_of(words, "November")
    assert date_line[date_line.index("November") - 1 : date_line.index("November") + 2] == ["11", "November", "2024"]
    # the address is cut only right after a slash: every piece but the last ends with "/"
    url = "https://dpmptsp.kaltimprov.go.id/berkas/bahan-rapat-evaluasi-sop"
    pieces = [
        w[4].replace("\u200b", "") for w in words if w[4].replace("\u200b", "") and w[4].replace("\u200b", "") in url
    ]
    pieces = [p for p in pieces if len(p) > 3]
    assert "".join(pieces) == url * 3
    assert len(pieces) > 3, "the narrow column made the address break"
    for piece in pieces:
        assert piece.endswith("/") or url.endswith(piece), pieces


@pytest.mark.parametrize("paragraphs", range(9, 15))
def test_a_signature_block_never_lands_alone_on_a_page(paragraphs, tmp_path):
    body = "".join(f"<p>{FILLER * 2} (paragraf {n})</p>" for n in range(1, paragraphs + 1))
    signature = render(
        '{% include "documents/_signature.html" %}',
        place_date="Samarinda, 11 November 2024",
        title="Kepala Dinas,",
        name="Fahmi Prima Laksana, S.E., M.M",
        rank="Pembina Utama Muda",
        nip="196802151989031008",
    )
    pages = words_by_page(html_to_pdf(HEAD + body + signature + "</body></html>"), tmp_path)
    with_signature = next(p for p in pages if any(w[4] == "Laksana," for w in p))
    assert any(w[4].startswith("(paragraf") for w in with_signature), (
        f"{paragraphs} paragraphs: the signature's page carries no line of the text before it"
    )
    assert line_of(with_signature, "Laksana,")[-2:] == ["S.E.,", "M.M"]


def test_a_table_row_never_splits_and_the_header_repeats(tmp_path):
    rows = "".join(f"<tr><td>awal-{n}</td><td>{FILLER * (1 + n % 4)}</td><td>akhir-{n}</td></tr>" for n in range(1, 25))
    table = f'<table class="bordered"><thead><tr><th>Kolom A</th><th>Uraian</th><th>Kolom C</th></tr></thead><tbody>{rows}</tbody></table>'
    pages = words_by_page(html_to_pdf(HEAD + table + "</body></html>"), tmp_path)
    assert len(pages) >= 3
    for n in range(1, 25):
        start = next(i for i, p in enumerate(pages) if any(w[4] == f"awal-{n}" for w in p))
        end = next(i for i, p in enumerate(pages) if any(w[4] == f"akhir-{n}" for w in p))
        assert start == end, f"row {n} split over pages {start + 1} and {end + 1}"
    assert all(any(w[4] == "Uraian" for w in page) for page in pages)


@pytest.mark.django_db
def test_the_report_footer_keeps_one_and_a_half_cm_from_the_edge(demo_2024_report_pdf, tmp_path):
    pages = words_by_page(demo_2024_report_pdf, tmp_path)
    assert len(pages) > 20
    for number, words in enumerate(pages[1:], start=2):  # the cover has no footer
        lowest = max(w[3] for w in words)
        assert A4_HEIGHT_PT - lowest >= 1.5 * CM, f"page {number}: text {A4_HEIGHT_PT - lowest:.1f} pt from the edge"


@pytest.fixture
def demo_2024_report_pdf(demo_2024_pdfs):
    """The demo's 2024 draft, built once per run (tests/shared_pdfs.py)."""
    return demo_2024_pdfs.draft
