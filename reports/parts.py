"""Appendix parts of a report rendered once and kept: each period's results and each document.

WeasyPrint lays out ~87 ms a page, and most of a year's report is its appendix: every
meeting's invitation, notula and daftar hadir, the FKP's, each period's results. Those
pages change only when their own data changes, not when the report's text is edited or
the report is signed. So each appendix part is rendered *alone* into a PDF whose page is
exactly a reserved box of the report (the content area less one label line), stored under
the SHA-256 of its complete HTML and stylesheet (the fingerprint of the data that went
into it: other data, another file). A build then lays out only the report itself with,
for each part, one reserved page per page of the part (`attachments` slots: the label,
the report's own footer, page number, DRAF mark or signed statement and QR), and draws
the part's pages into those boxes. The table of contents stays right because the pages
exist during layout.

A part whose HTML is unchanged is never rendered again. Parts whose data changed stay on
disk under their old fingerprint (a few kB to a few hundred kB each) until removed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from skm_portal.pdf import render_document

from . import attachments

logger = logging.getLogger(__name__)
PART_DIR = "report-parts"
PART_TEMPLATE = "reports/pdf/part.html"


@dataclass(frozen=True)
class Part:
    """A rendered appendix part: its fingerprint and page count; its slots in the report."""

    fingerprint: str
    pages: int

    @property
    def slots(self) -> list[attachments.Slot]:
        return [attachments.Slot(part_slot_id(self.fingerprint, n), n) for n in range(1, self.pages + 1)]


def part_slot_id(fingerprint: str, number: int) -> str:
    return f"{attachments.SLOT_PREFIX}part-{fingerprint}-{number}"


def part_path(fingerprint: str) -> str:
    return f"{PART_DIR}/{fingerprint}.pdf"


@cache
def _stylesheet_digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _styles_fingerprint() -> str:
    digests = []
    for name in ("css/documents.css", "css/part.css"):
        found = finders.find(name)
        if found:
            digests.append(_stylesheet_digest(found, Path(found).stat().st_mtime))
    return ":".join(digests)


def part_html(fragment: SafeString | str) -> str:
    return render_to_string(PART_TEMPLATE, {"fragment": fragment})


def part_for(fragment: SafeString | str) -> Part:
    """The part of `fragment` (appendix HTML without page decoration): rendered now only if
    no part with the same HTML and stylesheet is stored yet."""
    html = part_html(fragment)
    fingerprint = hashlib.sha256(f"{_styles_fingerprint()}\n{html}".encode()).hexdigest()
    path = part_path(fingerprint)
    if default_storage.exists(path):
        try:
            with default_storage.open(path, "rb") as handle:
                return Part(fingerprint, attachments.pdf_page_count(handle.read()))
        except Exception:  # a damaged part is rendered again
            logger.warning("Report part %s unreadable; rendering it again", fingerprint, exc_info=True)
            default_storage.delete(path)
    document = render_document(html)
    pdf = attachments.fill_slots(document.write_pdf(), attachments.slot_positions(document))
    default_storage.save(path, ContentFile(pdf))
    return Part(fingerprint, len(document.pages))


def part_bytes(fingerprint: str) -> bytes | None:
    try:
        with default_storage.open(part_path(fingerprint), "rb") as handle:
            return handle.read()
    except OSError:
        return None
