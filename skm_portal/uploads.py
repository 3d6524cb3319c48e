"""The portal's one upload policy: PDF, JPEG and PNG, recognised by their content.

Serves permit documents, follow-up evidence and attendance scans. The file name's
extension must agree with what the first bytes say; a web page or a program renamed to
".pdf" is refused; a PDF must end with a trailer a reader can find (startxref or a
trailer dictionary, then %%EOF); an image must decode as the image its header claims
(Pillow); the name is stored without folders or control characters; size is limited by
the caller's setting. Pure Python apart from Pillow.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    content_type: str
    extension: str  # what the stored file is named with
    extensions: frozenset[str]  # what an uploaded name may end with
    magic: bytes


KINDS: tuple[FileKind, ...] = (
    FileKind("pdf", "PDF", "application/pdf", ".pdf", frozenset({".pdf"}), b"%PDF-"),
    FileKind("png", "PNG", "image/png", ".png", frozenset({".png"}), b"\x89PNG\r\n\x1a\n"),
    FileKind("jpeg", "JPEG", "image/jpeg", ".jpg", frozenset({".jpg", ".jpeg"}), b"\xff\xd8\xff"),
)
ACCEPTED_EXTENSIONS = sorted(ext for kind in KINDS for ext in kind.extensions)
HEAD_BYTES = 16


def size_label(size: int) -> str:
    """1048576 -> "1 MB", 1572864 -> "1,5 MB", 512000 -> "500 KB" (Indonesian decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            text = f"{size / factor:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} byte"


class RefusedFile(ValueError):
    """The upload is not accepted; the message is for the officer (Indonesian)."""


_DRIVE = re.compile(r"^[A-Za-z]:")


def refuse_path(name: str) -> None:
    """RefusedFile when an uploaded name carries a folder, a drive or "..": a name is a name.

    Browsers send bare names; a path ("../../etc/passwd.pdf", "C:\\x\\y.pdf") means a
    crafted request or a careless client, and nothing of it should be stored or shown.
    """
    if "/" in name or "\\" in name or _DRIVE.match(name) or name.strip() in {".", ".."}:
        raise RefusedFile(
            "Nama berkas tidak boleh memuat folder atau lokasi (mis. \u201c../\u201d atau \u201cC:\\\u201d). "
            "Berkas tidak disimpan."
        )


def sniff(head: bytes) -> FileKind | None:
    """The accepted kind whose signature `head` starts with, if any."""
    return next((kind for kind in KINDS if head.startswith(kind.magic)), None)


def _image_decodes(data: bytes, kind: FileKind) -> bool:
    from PIL import Image  # Pillow is a dependency of WeasyPrint already

    try:
        with Image.open(io.BytesIO(data)) as image:
            if (image.format or "").lower() != kind.key:
                return False
            image.verify()
    except Exception:  # any decoding failure means "not a valid image"
        return False
    return True


_STARTXREF = re.compile(rb"startxref\s+\d+\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<.*?>>\s*%%EOF\s*$", re.DOTALL)
PDF_TAIL_BYTES = 2048


def _pdf_has_trailer(data: bytes) -> bool:
    """A PDF ends with "startxref N %%EOF" (or an old-style trailer dictionary and %%EOF).

    Real readers start from there; a file that only begins with %PDF- (an HTML page with a
    PDF header glued on, a truncated upload) has none and is refused."""
    tail = data[-PDF_TAIL_BYTES:]
    return bool(_STARTXREF.search(tail) or _TRAILER.search(tail))


def check(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FileKind:
    """The kind of an uploaded file, or RefusedFile with the reason in Indonesian."""
    if not data:
        raise RefusedFile("Berkas kosong.")
    if len(data) > max_bytes:
        raise RefusedFile(f"Berkas terlalu besar. Ukuran paling besar {size_label(max_bytes)}.")
    extension = PurePath(name or "").suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise RefusedFile("Jenis berkas tidak diterima. Unggah berkas PDF, JPEG atau PNG.")
    kind = sniff(data[:HEAD_BYTES])
    if kind is None:
        raise RefusedFile(
            "Isi berkas bukan PDF, JPEG atau PNG (mungkin berkas lain yang diganti namanya). Berkas tidak disimpan."
        )
    if extension not in kind.extensions:
        raise RefusedFile(
            f"Isi berkas adalah {kind.label}, tetapi namanya berakhiran {extension}. Berkas tidak disimpan."
        )
    if kind.key == "pdf" and not _pdf_has_trailer(data):
        raise RefusedFile("Berkas PDF rusak atau tidak lengkap (akhir berkas tidak ditemukan). Berkas tidak disimpan.")
    if kind.key != "pdf" and not _image_decodes(data, kind):
        raise RefusedFile(f"Berkas {kind.label} rusak atau tidak dapat dibaca. Berkas tidak disimpan.")
    return kind


def safe_name(name: str) -> str:
    """The uploaded file's name without control characters; RefusedFile if it carries a path."""
    refuse_path(name or "")
    base = "".join(ch for ch in (name or "") if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "berkas"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    data: bytes
    kind: FileKind

    @property
    def size(self) -> int:
        return len(self.data)


def upload_check(upload, *, max_bytes: int) -> CheckedUpload:
    """Read an uploaded file (Django UploadedFile) and apply the policy; RefusedFile if not.

    Reads at most `max_bytes + 1` bytes, so an oversized upload is refused without
    loading it whole."""
    name = safe_name(getattr(upload, "name", "") or "")
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise RefusedFile(f"Berkas terlalu besar. Ukuran paling besar {size_label(max_bytes)}.")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    return CheckedUpload(name=name, data=data, kind=check(name, data, max_bytes=max_bytes))
