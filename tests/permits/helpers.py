"""Plain helpers of the permit tests (files, WITA moments, the ordinary path); fixtures live in conftest."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from permits.calendar import WITA
from permits.workflow import Action, Step
from skm_portal.roles import Role

# The smallest file the upload policy accepts as a PDF: header, one object, trailer, %%EOF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="dokumen.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def at(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=WITA)


def documents_for(kind, *, mandatory_only=True):
    return {
        doc.pk: pdf(f"{doc.pk}.pdf") for doc in kind.required_documents.all() if doc.is_mandatory or not mandatory_only
    }


# The ordinary path of a file with a dinas teknis: (from step, action, role).
PATH = [
    (Step.VERIFIKASI_PENDAFTARAN, Action.VERIFY_REGISTRATION, Role.BACKOFFICE),
    (Step.VERIFIKASI_IZIN, Action.FORWARD_TO_AGENCY, Role.BACKOFFICE),
    (Step.PERTIMBANGAN_DINAS_TEKNIS, Action.AGENCY_APPROVE, Role.DINAS_TEKNIS),
    (Step.PROSES_BACKOFFICE, Action.BACKOFFICE_COMPLETE, Role.BACKOFFICE),
    (Step.VALIDASI_KASI, Action.KASI_APPROVE, Role.KASI),
    (Step.VALIDASI_KABID, Action.KABID_APPROVE, Role.KABID),
    (Step.PENETAPAN, Action.ISSUE, Role.KEPALA_DINAS),
]
NEXT = {source: (action, role) for source, action, role in PATH}
