"""The office's own words: the narrative is stored per report and editable, the app only
proposes a draft from the data, and the demo's 2024 report carries the seed report's text.

The seed sentences are read from the seed file at test time (a verbatim copy of the needed
passages is kept under tests/fixtures for machines without /work/shared).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from skm_portal.models import AuditEntry
from skm_portal.roles import Role
from surveys.models import Element, Questionnaire

SEED = Path("/work/shared/seed/000_8f16be62ac10b55c.txt")
SEED_COPY = Path(__file__).resolve().parent.parent / "fixtures" / "seed_2024_report_text.md"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")


def seed_lines() -> list[str]:
    source = SEED if SEED.exists() else SEED_COPY
    return source.read_text(encoding="utf-8").split("\n")


def seed_section(start: str, stop: str) -> list[str]:
    """The non-empty lines (paragraphs, list items) between two markers of the seed's text."""
    lines = seed_lines()
    first = next(n for n, line in enumerate(lines) if start in line)
    last = next(n for n in range(first + 1, len(lines)) if stop in lines[n])
    return [re.sub(r"^\d+\.\s+", "", line.strip()) for line in lines[first + 1 : last] if line.strip()]


SECTIONS = {
    "kata pengantar": ("## KATA PENGANTAR", "Samarinda, 24 November 2024"),
    "latar belakang": ("1.1 LATAR BELAKANG", "1.2 DASAR HUKUM"),
    "dasar hukum": ("1.2 DASAR HUKUM", "## BAB II"),
    "2.1": ("2.1 PEMBAHASAN HASIL", "**Tabel 2.1**"),
    "2.2": ("2.2 RENCANA TINDAK LANJUT PELAKSANAAN SKM", "**Tabel 2.3**"),
    "3.1": ("**3.1 IMPLEMENTASI", "**Tabel 3.1**"),
    "kesimpulan": ("4.1 KESIMPULAN", "Kepala Dinas Penanaman Modal dan PTSP,"),
}


def sentences(paragraphs: list[str]) -> list[str]:
    out = []
    for paragraph in paragraphs:
        out.extend(s.strip() for s in re.split(r"(?<=[.;])\s+(?=[A-Z])", paragraph) if s.strip())
    return out


def pdf_text_pages(data: bytes, tmp_path: Path) -> list[str]:
    """pdftotext -raw: words in the order they were written, so a justified line reads whole."""
    path = tmp_path / "report-text.pdf"
    path.write_bytes(data)
    command = [shutil.which("pdftotext") or "pdftotext", "-raw", str(path), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    # A compound such as "Undang-Undang" may wrap at its hyphen; read it whole again.
    text = re.sub(r"-\n(?=\S)", "-", text)
    return text.rstrip("\f").split("\f")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def printed(sentence: str, pages: list[str]) -> bool:
    """The sentence is in the text, read across a page break (whatever the page's footer says)."""
    gap = r"(?:\s+|\s+[^\f]*\f\s*)"
    return re.search(gap.join(re.escape(word) for word in sentence.split()), "\f".join(pages)) is not None


@pytest.fixture
def demo_report_pdf(demo_2024_pdfs):
    """The demo's 2024 report as `make run` builds it: reports.demo.load() signs it with a demo
    certificate (built once per run, tests/shared_pdfs.py)."""
    message = demo_2024_pdfs.demo_message
    assert "ditandatangani" in message and "tidak ditandatangani" not in message, message
    return demo_2024_pdfs.signed


def test_demo_2024_report_carries_the_seed_text_sentence_for_sentence(demo_report_pdf, tmp_path):
    pages = pdf_text_pages(demo_report_pdf, tmp_path)
    text = squash(" ".join(pages))
    missing = []
    checked = 0
    for name, (start, stop) in SECTIONS.items():
        for sentence in sentences(seed_section(start, stop)):
            checked += 1
            if not printed(sentence, pages):
                missing.append((name, sentence))
    assert checked >= 30
    assert not missing, missing
    # The seed's dates, findings and closing words, which a data-drafted text would not carry.
    for phrase in (
        "Dalam periode Januari hingga Oktober 2024",
        "aspek waktu penyelesaian, kesesuaian biaya, dan kompetensi petugas pelayanan",
        "seperti waktu pelayanan dan produk pelayanan",
        "kemajuan Kalimantan Timur sebagai salah satu pusat pertumbuhan ekonomi nasional",
        "Samarinda, 24 November 2024",
    ):
        assert phrase in text, phrase
    assert "Januari hingga September" not in text


def test_no_application_language_in_the_demo_report(demo_report_pdf, tmp_path):
    text = squash(" ".join(pdf_text_pages(demo_report_pdf, tmp_path)))
    # (The trend chart's legend, surveys/charts.py, is another branch's work and not checked here.)
    for phrase in ("dientri", "Agregat terpublikasi:", "Laporan Tindak Lanjut Hasil SKM Tahun 2024, Tabel"):
        assert phrase not in text, phrase
    assert "Sumber data: aplikasi e-PTSP (https://e-ptsp.kaltimprov.go.id)." in text
    # No doubled words; "Kode Unsur | Unsur" are two column headers, "dengan dengan" is the seed's own Tabel 3.1.
    allowed = text.replace("Kode Unsur Unsur", "").replace("Berkoordinasi dengan dengan", "")
    assert re.findall(r"\b([A-Za-z]{3,}) \1\b", allowed, flags=re.I) == []
    assert "Notula Rapat Pembahasan Evaluasi Standar Pelayanan" in text
    assert "Standar Operasional Prosedur (SOP) Perizinan dan Non Perizinan" in text
    # Numbered tables keep their "No" header: never Django's translation of the English "No" ("Tidak").
    assert not re.search(r"\bTidak (Nama|Tanggal|Prioritas Unsur|Identifikasi)", text)


# --- proposals drafted from the data ---------------------------------------------------


def test_proposal_states_only_what_the_data_holds(report_2024):
    texts = services.report_proposal(report=report_2024)
    basis = (
        "9 unsur pengukuran kepuasan masyarakat terhadap pelayanan yang diterima berdasarkan Peraturan Menteri "
        "PANRB Nomor 14 Tahun 2017 tentang Pedoman Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik "
        "ditambah 2 unsur Survei Penilaian Integritas (SPI) yakni transparansi pelayanan dan integritas petugas "
        "pelayanan"
    )
    assert basis in texts["results_intro"]
    # The 2024 periods run 1 January - 30 September: the months come from their dates.
    assert "Dalam periode Januari hingga September 2024," in texts["background"]
    assert "Oktober" not in texts["background"]
    # Findings from the results (seed Tabel 2.1 and 2.2): highest and lowest element of each period.
    assert (
        "Pada Semester I 2024 nilai unsur tertinggi adalah penanganan pengaduan (96,82) dan terendah waktu "
        "pelayanan (85,87)." in texts["background"]
    )
    assert "Pada Triwulan III 2024 nilai unsur tertinggi adalah biaya/tarif (97,52)" in texts["background"]
    # Priorities: the elements of the confirmed follow-up plans of the demo.
    assert "seperti waktu pelayanan dan produk pelayanan." in texts["conclusion"]
    assert "283 orang responden" in texts["results_intro"] and "161 orang responden" in texts["results_intro"]
    assert texts["realisation_intro"].startswith("Berdasarkan rencana tindak lanjut yang telah disusun")


def test_proposal_follows_the_recorded_element_sources(report_2024):
    questionnaire = Questionnaire.active()
    questionnaire.elements.filter(code="U11").update(source=Element.Source.OWN)
    text = services.report_proposal(report=report_2024)["results_intro"]
    assert "9 unsur pengukuran kepuasan masyarakat" in text
    assert "ditambah 1 unsur Survei Penilaian Integritas (SPI) yakni transparansi pelayanan" in text
    assert "ditambah 1 unsur tambahan yang ditetapkan unit pelayanan yakni integritas petugas pelayanan" in text


def test_usulkan_dari_data_fills_the_form_without_saving(client_as, report_2024):
    services.report_update(report=report_2024, user=None, results_intro="Teks kantor sendiri.")
    report_2024.refresh_from_db()
    revision = report_2024.revision
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("reports:edit", kwargs={"report": report_2024.pk})
    response = client.post(url, {"title": "Judul yang sedang diketik", "propose": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Judul yang sedang diketik" in html  # what was typed stays
    assert "ditambah 2 unsur Survei Penilaian Integritas (SPI)" in html  # the proposal fills the narrative
    assert "belum disimpan" in html
    report_2024.refresh_from_db()
    assert report_2024.revision == revision and report_2024.results_intro == "Teks kantor sendiri."


def test_text_changes_are_audited(client_as, report_2024):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("reports:edit", kwargs={"report": report_2024.pk})
    data = {name: getattr(report_2024, name) for name in services.TEXT_FIELDS}
    data["document_date"] = "2024-11-24"
    data["plan_intro"] = "Rencana kami tahun ini."
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="text_saved")
    assert entry.object_id == str(report_2024.pk) and entry.actor is not None
    assert entry.changes["2.2 Rencana tindak lanjut"][1] == "Rencana kami tahun ini."
    html = services.rendering.report_html(Report.objects.get(pk=report_2024.pk), code="x", version_number=1).html
    assert "Rencana kami tahun ini." in html
