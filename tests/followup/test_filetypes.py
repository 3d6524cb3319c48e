"""Evidence files are recognised by their content, pure."""

import pytest

from skm_portal import uploads as filetypes

from .helpers import EXE_BYTES, HTML_BYTES, PDF_BYTES, image_bytes


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("notula.pdf", PDF_BYTES, "pdf"),
        ("foto.PNG", image_bytes("PNG"), "png"),
        ("foto.jpg", image_bytes("JPEG"), "jpeg"),
        ("foto.jpeg", image_bytes("JPEG"), "jpeg"),
    ],
)
def test_accepted_by_content(name, data, key):
    assert filetypes.check(name, data).key == key


@pytest.mark.parametrize(("name", "data"), [("laporan.pdf", EXE_BYTES), ("bukti.pdf", HTML_BYTES)])
def test_renamed_program_or_page_is_refused(name, data):
    with pytest.raises(filetypes.RefusedFile, match="bukan PDF, JPEG atau PNG"):
        filetypes.check(name, data)


def test_extension_must_match_content():
    with pytest.raises(filetypes.RefusedFile, match="PNG"):
        filetypes.check("foto.pdf", image_bytes("PNG"))


def test_other_extensions_and_empty_files_are_refused():
    with pytest.raises(filetypes.RefusedFile, match="Jenis berkas tidak diterima"):
        filetypes.check("skrip.exe", EXE_BYTES)
    with pytest.raises(filetypes.RefusedFile, match="kosong"):
        filetypes.check("kosong.pdf", b"")


def test_truncated_image_with_valid_header_is_refused():
    with pytest.raises(filetypes.RefusedFile, match="rusak"):
        filetypes.check("foto.png", image_bytes("PNG")[:20])


def test_size_limit():
    data = PDF_BYTES.replace(b"trailer", b"%" + b"0" * 2048 + b"\ntrailer")  # padded inside, still ends well
    with pytest.raises(filetypes.RefusedFile, match="terlalu besar"):
        filetypes.check("besar.pdf", data, max_bytes=len(data) - 1)
    assert filetypes.check("pas.pdf", data, max_bytes=len(data)).key == "pdf"


def test_size_label_is_indonesian():
    assert filetypes.size_label(10 * 1024 * 1024) == "10 MB"
    assert filetypes.size_label(1536 * 1024) == "1,5 MB"
    assert filetypes.size_label(500 * 1024) == "500 KB"


def test_a_pdf_needs_the_end_a_reader_starts_from():
    """HTML with a PDF header glued on, or a PDF cut short, is refused (no trailer/%%EOF)."""
    with pytest.raises(filetypes.RefusedFile, match="akhir berkas tidak ditemukan"):
        filetypes.check("ktp.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>")
    with pytest.raises(filetypes.RefusedFile, match="akhir berkas tidak ditemukan"):
        filetypes.check("ktp.pdf", PDF_BYTES[: len(PDF_BYTES) // 2])
    xref_style = b"%PDF-1.7\n1 0 obj<<>>endobj\nxref\n0 1\n0000000000 65535 f \nstartxref\n9\n%%EOF\r\n"
    assert filetypes.check("ktp.pdf", xref_style).key == "pdf"
