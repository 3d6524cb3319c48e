"""Every generated document embeds only the face the project ships (Arimo from
@fontsource/arimo, static/css/fonts.css), never a system fallback, so it prints the same
on every machine."""

import re
import subprocess
from pathlib import Path

import pytest

from followup.meetings import documents
from followup.models import Meeting
from reports import services
from reports.models import Report
from skm_portal.models import OfficeProfile
from surveys import posters
from surveys.models import Period, Service

SHIPPED_FONT_FILES = Path(__file__).resolve().parents[2] / "node_modules" / "@fontsource" / "arimo" / "files"
# pdffonts names an embedded subset "ABCDEF+<PostScript name>".
SHIPPED_FAMILY = re.compile(r"^[A-Z]{6}\+Arimo(-Bold|-Italic|-BoldItalic)?$")


def pdffonts(pdf: bytes, tmp_path: Path, name: str) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for every font of the PDF, as `pdffonts` lists them."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    command = ["pdffonts", str(path)]
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:  # two header lines
        fields = line.split()
        # name type... encoding emb sub uni object-id generation: emb is the 5th from the end
        rows.append((fields[0], fields[-5]))
    return rows


def every_document(draft_2024: bytes) -> dict[str, bytes]:
    built = {"laporan-tindak-lanjut-2024": draft_2024}
    period = Period.objects.filter(start_date__year=2024).order_by("-start_date").first()
    results = services.report_create(kind=Report.Kind.RESULTS, period=period)
    built["laporan-hasil-skm"] = services.report_build_now(report=results)[0]
    for meeting in Meeting.objects.order_by("date", "pk"):
        for document in (documents.INVITATION, documents.MINUTES, documents.ATTENDANCE, documents.BERITA_ACARA):
            if document.available(meeting):
                built[f"{document.key}-{meeting.kind}"] = documents.pdf(meeting, document)
    built["poster-qr"] = posters.poster_pdf(Service.objects.order_by("pk").first(), OfficeProfile.get())
    return built


def test_the_shipped_face_comes_from_the_npm_package():
    assert (SHIPPED_FONT_FILES / "arimo-latin-400-normal.woff2").is_file(), "npm ci installs @fontsource/arimo"


@pytest.mark.django_db
def test_every_document_embeds_only_the_shipped_face(demo_2024, demo_2024_pdfs, tmp_path):
    built = every_document(demo_2024_pdfs.draft)
    # the demo has both kinds of meeting, so every kind of document is among them
    assert {"undangan-rapat", "notula-rapat", "daftar-hadir-rapat", "undangan-fkp", "daftar-hadir-fkp"} <= set(built)
    assert any(key.startswith("berita-acara") for key in built)
    for name, pdf in built.items():
        fonts = pdffonts(pdf, tmp_path, name)
        assert fonts, f"{name}: no font at all"
        foreign = sorted({font for font, _embedded in fonts if not SHIPPED_FAMILY.match(font)})
        assert not foreign, f"{name} uses fonts the project does not ship: {foreign}"
        assert all(embedded == "yes" for _font, embedded in fonts), f"{name}: a font is not embedded"
    bold_somewhere = {
        font.split("+")[1] for pdf_name, pdf in built.items() for font, _ in pdffonts(pdf, tmp_path, pdf_name)
    }
    assert {"Arimo", "Arimo-Bold"} <= bold_somewhere
