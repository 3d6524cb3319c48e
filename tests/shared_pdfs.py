"""The demo's 2024 report PDFs, built once per test process for the tests that only read them.

WeasyPrint builds of the 2024 report take seconds each and the report tests read the same
document again and again. `build_demo_2024_pdfs` loads the demo (office, survey results,
follow-up) inside a transaction, builds the unsigned draft as `report_build_now` makes it
and the signed demo report as `reports.demo.load()` makes it, keeps the bytes and rolls
everything back, so no test sees the rows. Tests that build, sign or change the report
still build their own.
"""

from __future__ import annotations

import fcntl
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The report tests' settings (tests/reports/conftest.py: report_settings), for the same bytes.
REPORT_TEST_SETTINGS = {
    "ROOT_URLCONF": "tests.reports.urls",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "REPORT_SIGNING_PASSPHRASE": "",
    "REPORT_CERT_IS_BSRE": False,
    "SITE_URL": "https://skm.example.go.id",
}


@dataclass(frozen=True)
class DemoPdfs:
    draft: bytes  # services.report_build_now(report=year_report(2024)), unsigned
    draft_pages: int  # the page count the build recorded
    signed: bytes  # reports.demo.load(): the seed's texts, signed with the demo certificate
    demo_message: str  # what reports.demo.load() said


def baseline_rows() -> None:
    """What a fresh `migrate` leaves: the role groups and the 11-element questionnaire (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("skm_portal.migrations.0002_roles").create_groups(apps, None)
    import_module("surveys.migrations.0002_default_questionnaire").create_questionnaire(apps, None)
    import_module("surveys.migrations.0004_element_source").classify_elements(apps, None)


def build_demo_2024_pdfs(root: Path, certificate: bytes, parts: Path | None = None) -> DemoPdfs:
    """`parts`: a folder of stored report appendix parts to use (tests/conftest.py _shared_report_parts)."""
    from django.core.cache import cache
    from django.db import transaction
    from django.test import override_settings

    from followup import demo as followup_demo
    from reports import demo as reports_demo
    from reports import services
    from reports.models import Report
    from skm_portal import demo as portal_demo
    from surveys import demo as surveys_demo
    from surveys import questionnaire_cache

    p12 = root / "signing.p12"
    p12.write_bytes(certificate)
    files = {"MEDIA_ROOT": root / "media", "FOLLOWUP_EVIDENCE_ROOT": root / "evidence"}
    if parts is not None:
        files["REPORT_PART_ROOT"] = str(parts)
    try:
        with override_settings(**REPORT_TEST_SETTINGS, **files, REPORT_SIGNING_P12=str(p12)), transaction.atomic():
            # A transactional test earlier in this process empties every table: the rows the
            # data migrations made (role groups, the questionnaire) come back first.
            baseline_rows()
            portal_demo.load()
            surveys_demo.load()
            followup_demo.load()
            with transaction.atomic():
                draft, build = services.report_build_now(report=services.year_report(year=2024))
                pages = build.pages
                transaction.set_rollback(True)
            # The demo creates its own certificate where none is (as `make run` does).
            with override_settings(REPORT_SIGNING_P12=str(root / "demo-signing.p12")):
                message = reports_demo.load()
                version = Report.objects.get(kind=Report.Kind.FOLLOWUP, year=2024).versions.get()
                with version.file.open("rb") as handle:
                    signed = handle.read()
            transaction.set_rollback(True)
    finally:
        # Nothing built here may outlive the rollback in a cache.
        cache.clear()
        questionnaire_cache._memo = None
    return DemoPdfs(draft=draft, draft_pages=pages, signed=signed, demo_message=message)


def shared_between_workers(shared: Path, build: Callable[[], DemoPdfs], *, parts: Path) -> DemoPdfs:
    """`build()` once for all xdist workers (`shared`: the folder above each worker's own temp).

    The first worker to take the lock builds, then leaves the PDFs and a copy of its store of
    parts (as the build left it, before any later test adds to it); the others copy those parts
    into their own store (nothing is written to a store another process reads) and read the PDFs."""
    result, snapshot = shared / "demo-2024-pdfs.pickle", shared / "demo-2024-parts"
    with open(shared / "demo-2024-pdfs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            shutil.copytree(snapshot, parts, dirs_exist_ok=True)
            return pickle.loads(result.read_bytes())  # noqa: S301 - written by this run's other worker
        pdfs = build()
        shutil.copytree(parts, snapshot)
        partial = result.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(pdfs))
        partial.rename(result)
        return pdfs
