"""The yearly report's PDF as a reader sees it: the seed's sections, tables and a table of
contents whose page numbers point at the right pages."""

import re
from decimal import Decimal

import pytest

from reports import services
from surveys.demo import PUBLISHED_2024
from tests.reports.helpers import demo_officer, outline_pages, pdf_pages

# The page number alone at the end of a line (a draft's footer has no signature statement).
FOOTER = re.compile(r"^(?:Dokumen ini .*?)?\s{2,}([ivxlc]+|\d+)\s*$", re.M)
TOC_LINE = re.compile(r"^\s*(\S.*?)\s*\.{4,}\s*([ivxlc]+|\d+)\s*$", re.M)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().upper()


def page_labels(pages: list[str]) -> dict[str, int]:
    labels = {}
    for index, text in enumerate(pages):
        matches = FOOTER.findall(text)
        if matches:  # the footer is the page's last line
            labels.setdefault(matches[-1], index)
    return labels


@pytest.fixture
def draft_pages(demo_2024_pdfs, tmp_path):
    """The demo's 2024 draft (built once per run, tests/shared_pdfs.py): its pages and recorded page count."""
    return pdf_pages(demo_2024_pdfs.draft, tmp_path), demo_2024_pdfs.draft_pages


def test_structure_follows_the_seed(draft_pages):
    pages, page_count = draft_pages
    assert page_count == len(pages)
    text = squash(" ".join(pages))
    order = [
        "LAPORAN TINDAK LANJUT HASIL SURVEI KEPUASAN MASYARAKAT (SKM) TAHUN 2024",
        "KATA PENGANTAR",
        "DAFTAR ISI",
        "BAB I PENDAHULUAN",
        "1.1 LATAR BELAKANG",
        "1.2 DASAR HUKUM",
        "BAB II DESKRIPSI RENCANA TINDAK LANJUT",
        "2.1 PEMBAHASAN HASIL SURVEI KEPUASAN MASYARAKAT",
        "TABEL 2.1",
        "TABEL 2.2",
        "2.2 RENCANA TINDAK LANJUT PELAKSANAAN SKM",
        "TABEL 2.3",
        "BAB III REALISASI RENCANA TINDAK LANJUT",
        "TABEL 3.1",
        "BAB IV PENUTUP",
        "4.1 KESIMPULAN",
        "LAMPIRAN BUKTI DUKUNG",
        "HASIL SKM SEMESTER I 2024",
        "HASIL SKM TRIWULAN III 2024",
    ]
    # In reading order after the table of contents (page iii on).
    position = len(squash(" ".join(pages[:3])))
    for heading in order[3:]:
        found = text.find(heading, position)
        assert found != -1, f"{heading!r} missing or out of order"
        position = found
    assert order[0] in squash(pages[0]) and order[1] in squash(pages[1]) and order[2] in squash(pages[2])
    assert "1 JANUARI 2024" not in pages[0].upper()  # the cover is only the cover
    assert "H. FAHMI PRIMA LAKSANA" in squash(pages[1])  # kata pengantar is signed
    assert "NIP. 19680215 198903 1 008" in squash(pages[1])
    assert "PEMBINA UTAMA MUDA" in squash(pages[1])


def test_tables_carry_the_seed_numbers(draft_pages, demo_2024_pdfs, tmp_path):
    pages, _page_count = draft_pages
    body = squash(" ".join(pages[3:]))
    for name, _kind, _start, _end, _respondents, _table, indices in PUBLISHED_2024:
        # Each element row: code, name, index in Indonesian format (94,79), grade.
        for code, value in zip(range(1, 12), indices, strict=True):
            shown = f"{Decimal(value):.2f}".replace(".", ",")
            assert re.search(rf"\bU{code}\b [^0-9]*? {shown} [ABCD]\b", body), (name, code, shown)
    # The IKM of the published aggregates is the mean of the 11 indices (DOMAIN.md 1).
    for ikm, respondents in (("92,38", 283), ("91,70", 161)):
        row = rf"IKM INDEKS KEPUASAN (MASYARAKAT )?{ikm} A SANGAT BAIK (MASYARAKAT )?JUMLAH RESPONDEN: {respondents} ORANG"
        assert re.search(row, body), ikm
    assert "U3 WAKTU PELAYANAN 85,87 B BAIK" in body
    # Tabel 2.3 and 3.1: the plans and realisation of the follow-up demo, lettered (cells read whole).
    body = squash(" ".join(pdf_pages(demo_2024_pdfs.draft, tmp_path, layout=False)))
    assert "A. EVALUASI STANDAR PELAYANAN DAN STANDAR OPERASIONAL PROSEDUR" in body
    assert "B. MONITORING DAN EVALUASI BERKALA" in body
    assert "OKTOBER - NOVEMBER" in body
    assert "D. MENYEDIAKAN INFORMASI LENGKAP DAN JELAS MENGENAI PRODUK PELAYANAN MELALUI MEDIA SOSIAL" in body
    assert "D. MELAKUKAN AUDIT ALUR PELAYANAN" in body


def test_table_of_contents_page_numbers_are_the_real_pages(draft_pages):
    pages, _page_count = draft_pages
    labels = page_labels(pages)
    assert labels["i"] == 1 and labels["ii"] == 2 and labels["1"] == 3
    toc_page = pages[labels["ii"]]
    entries = TOC_LINE.findall(toc_page)
    assert len(entries) >= 14
    checked = 0
    for title, label in entries:
        if title.upper() == "KEPUASAN MASYARAKAT":  # the wrapped second line of BAB III
            continue
        target = pages[labels[label]]
        assert squash(title) in squash(target), f"{title!r} is not on page {label}"
        checked += 1
    assert checked >= 13


def test_the_outline_holds_every_appendix_entry_of_the_table_of_contents_at_its_page(demo_2024_pdfs, draft_pages):
    """The PDF's bookmarks (a reader's side panel) list the appendix as the Daftar Isi does, each
    entry at the page the Daftar Isi gives: the appendix is two thirds of the report."""
    pages, _page_count = draft_pages
    labels = page_labels(pages)
    appendix: list[tuple[str, str]] = []
    wrapped = ""  # a long title's first line(s), without dots
    for line in pages[labels["ii"]].split("LAMPIRAN BUKTI DUKUNG", 1)[1].splitlines()[1:]:
        entry = TOC_LINE.match(line)
        if entry:
            appendix.append((f"{wrapped} {entry.group(1)}", entry.group(2)))
            wrapped = ""
        elif line.strip() and not FOOTER.fullmatch(line.strip()):
            wrapped = f"{wrapped} {line.strip()}"
    assert len(appendix) >= 9  # two periods' results, six meeting documents, the other evidence
    outline = {squash(title): page for title, page in outline_pages(demo_2024_pdfs.draft).items()}
    for title, label in appendix:
        assert outline.get(squash(title)) == labels[label], f"{title!r} (page {label}) is not in the outline there"


def test_long_tables_repeat_their_header_and_a_draft_never_claims_bsre_even_with_a_bsre_certificate(
    report_2024, tmp_path, settings
):
    """One draft (a WeasyPrint build) for both; the BSrE sentence belongs to a signed version only
    (tests/reports/test_drafts.py), and the certificate's BSrE flag changes no table."""
    from followup.models import FollowUpPlan
    from followup.plans import services as followup_services

    period = FollowUpPlan.objects.get(element_code="U3").period
    for code in ("U1", "U2", "U4", "U6", "U7", "U8", "U9", "U10", "U11"):
        plan = FollowUpPlan.objects.create(period=period, element_code=code, element_name=f"Unsur {code}", rank=5)
        for n in range(5):
            followup_services.activity_add(
                plan=plan, user=demo_officer(), title=f"Kegiatan {n} untuk unsur {code} pada uji tabel"
            )
    settings.REPORT_CERT_IS_BSRE = True
    pdf, _build = services.report_build_now(report=report_2024)
    pages = pdf_pages(pdf, tmp_path)
    text = " ".join(pages)
    assert "BSrE" not in text and "DRAF" in text
    with_rtl_header = [i for i, p in enumerate(pages) if re.search(r"Prioritas Unsur\s+Program/Kegiatan\s+Waktu", p)]
    assert len(with_rtl_header) >= 2
    assert with_rtl_header == list(range(with_rtl_header[0], with_rtl_header[0] + len(with_rtl_header)))
