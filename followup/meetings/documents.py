"""The documents of a meeting (invitation, notula, daftar hadir, berita acara) as pages and A4 PDFs.

Each document's body is a template fragment under templates/followup/documents/ that needs
only `meeting` (from `meeting_selectors.meeting_documents_queryset`) and `office`, so the
annual report can include the same fragments in its appendix.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from skm_portal.models import OfficeProfile
from skm_portal.pdf import render_pdf

from .models import Meeting

BLANK_ROWS = 5


@dataclass(frozen=True)
class Document:
    key: str
    template: str
    title: str

    def available(self, meeting: Meeting) -> bool:
        if self.key == "notula":
            return hasattr(meeting, "minutes")
        if self.key == "berita-acara":
            return meeting.is_fkp and hasattr(meeting, "berita_acara")
        return True

    def heading(self, meeting: Meeting) -> str:
        """ "Notula Rapat" + "Rapat Pembahasan ..." -> "Notula Rapat Pembahasan ...": never a doubled word."""
        return join_titles(self.title, meeting.title)

    def filename(self, meeting: Meeting) -> str:
        return f"{self.key}-{meeting.date:%Y-%m-%d}-{slugify(meeting.title)[:50]}.pdf"


def join_titles(first: str, second: str) -> str:
    """Join two titles, dropping the words the second repeats from the end of the first."""
    head, tail = first.split(), second.split()
    for size in range(min(len(head), len(tail)), 0, -1):
        if [w.casefold() for w in head[-size:]] == [w.casefold() for w in tail[:size]]:
            return " ".join(head + tail[size:])
    return " ".join(head + tail)


INVITATION = Document("undangan", "followup/documents/invitation_body.html", "Surat Undangan")
MINUTES = Document("notula", "followup/documents/minutes_body.html", "Notula Rapat")
ATTENDANCE = Document("daftar-hadir", "followup/documents/attendance_body.html", "Daftar Hadir")
BERITA_ACARA = Document("berita-acara", "followup/documents/berita_acara_body.html", "Berita Acara")


def context(meeting: Meeting, document: Document, **extra) -> dict:
    return {
        "meeting": meeting,
        "office": OfficeProfile.get(),
        "body_template": document.template,
        "title": document.heading(meeting),
        "blank_rows": BLANK_ROWS,
        "show_phones": True,  # officers' copy; the public page never renders this fragment
        **extra,
    }


def pdf(meeting: Meeting, document: Document, *, signed=None) -> bytes:
    """The document as A4 PDF: a draft (DRAF on every page), or with `signed` (a
    reports.signing.SignedMarks) the version being signed, with statement and QR code."""
    return render_pdf("followup/documents/standalone.html", context(meeting, document, pdf=True, signed=signed))
