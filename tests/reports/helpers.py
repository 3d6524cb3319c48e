"""Plain helpers of the report tests (test certificate, PDF text, cheap report rows); fixtures live in conftest."""

import functools
import io
import subprocess
from pathlib import Path

from reports import signing

PASSPHRASE = "rahasia-sertifikat"


@functools.cache
def certificate_bytes() -> bytes:
    # RSA key generation is slow: one certificate for the whole run.
    return signing.make_self_signed_p12(common_name="Kepala Uji", organisation="DPMPTSP Uji", passphrase=PASSPHRASE)


def pdf_pages(data: bytes, tmp_path: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext; -layout keeps lines, raw keeps table cells together)."""
    path = tmp_path / "report-under-test.pdf"
    path.write_bytes(data)
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def url_objects() -> dict:
    """Cheap rows for tests/test_url_permissions.py: a report, a finished draft and a signed version.

    The files are placeholders (no WeasyPrint, no signing), enough for every reports URL to answer.
    """
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import Report, ReportBuild, SignedVersion

    report = Report.objects.create(title="Laporan uji", year=2024, document_date=dt.date(2024, 11, 24))
    build = ReportBuild.objects.create(report=report, revision=1, version_number=1, status=ReportBuild.Status.DONE)
    build.file.save("draf.pdf", ContentFile(b"%PDF-1.4 draf uji"))
    version = SignedVersion(
        report=report,
        number=1,
        verification_code="kode-uji-url",
        sha256="0" * 64,
        size=17,
        title=report.title,
        signer_name="Kepala Uji",
        signer_title="Kepala Dinas",
        signed_at=timezone.now(),
        certificate_subject="CN=Uji",
        certificate_issuer="CN=Uji",
        certificate_sha256="0" * 64,
        certificate_pem="",
    )
    version.file.save("laporan.pdf", ContentFile(b"%PDF-1.4 versi uji"))
    return {"report": report.pk, "build": build.pk, "number": 1, "ref": version.verification_code}


def demo_officer():
    """The demo's Petugas SKM: follow-up services check who writes (CONVENTIONS.md)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="petugas")


def killed_at_30_percent(report, *, minutes_ago: int):
    """A build as a worker killed with -9 leaves it: running, 30 %, heartbeat stopped."""
    import datetime as dt

    from django.utils import timezone

    from reports import services
    from reports.models import ReportBuild

    build = services.build_create(report=report)
    beat = timezone.now() - dt.timedelta(minutes=minutes_ago)
    ReportBuild.objects.filter(pk=build.pk).update(
        status=ReportBuild.Status.RUNNING, progress=30, step="Membuat PDF", started_at=beat, heartbeat_at=beat
    )
    return build


def outline_pages(pdf: bytes) -> dict[str, int]:
    """The PDF's bookmarks: title -> page index."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    kids = [kid.get_object() for kid in reader.root["/Pages"]["/Kids"]]
    found: dict[str, int] = {}

    def walk(node) -> None:
        while node is not None:
            node = node.get_object()
            page = node["/Dest"][0].get_object()
            found[str(node["/Title"]).strip()] = next(i for i, kid in enumerate(kids) if kid is page)
            if "/First" in node:
                walk(node["/First"])
            node = node.get("/Next")

    walk(reader.root["/Outlines"]["/First"])
    return found
