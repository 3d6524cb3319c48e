"""The audit line of a finished response import (kept apart from the importer itself)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.numbers import format_int

from .importing import ImportReport


def audit_import(*, actor, report: ImportReport, file_name: str) -> None:
    """One audit line for a finished import: who, which file, how many rows, new services.

    Written after the import's own transaction (the import streams in batches); an import
    that was refused changed nothing and is not logged.
    """
    summary = _("%(count)s jawaban diimpor dari berkas %(file)s.") % {
        "count": format_int(report.imported),
        "file": file_name,
    }
    if report.created_services:
        summary += " " + _("Jenis layanan baru: %(names)s.") % {"names": ", ".join(report.created_services)}
    audit.audit_record(
        actor=actor,
        action="imported",
        obj=None,
        app="surveys",
        object_type="surveys.response",
        object_repr=file_name,
        summary=summary,
    )
