"""Demo report: the 2024 Laporan Tindak Lanjut Hasil SKM as the seed, signed by the demo kadis.

Creates a self-signed certificate at REPORT_SIGNING_P12 when there is none (passphrase
REPORT_SIGNING_PASSPHRASE, or the demo one below, printed: local use only). The seed's
11 November invitation was signed electronically, so the demo signs that letter too.
Running it again keeps existing signed versions (signed documents are never rewritten).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from skm_portal.models import OfficeProfile

from . import services, signing
from .models import Report

YEAR = 2024
DOCUMENT_DATE = dt.date(2024, 11, 24)  # "Samarinda, 24 November 2024" in the seed's kata pengantar
DEMO_PASSPHRASE = "demo-sertifikat-2024"  # noqa: S105 - demo certificate, local only
SE_SEKDA_2024 = (
    "Surat Edaran Sekretaris Daerah Pemerintah Provinsi Kalimantan Timur Nomor 000.8.3.4/17202/B.ORG.III "
    "Pada Tanggal 23 Oktober 2024 Perihal Pengumpulan Laporan Pelaksanaan Survei Kepuasan Masyarakat Semester II "
    "Tahun 2024 dan Laporan Tindak Lanjut Hasil Survei Kepuasan Masyarakat Periode Sebelumnya."
)


def _certificate() -> str:
    passphrase = signing.configured_passphrase() or DEMO_PASSPHRASE
    path = signing.p12_path()
    if not path.exists():
        office = OfficeProfile.get()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            signing.make_self_signed_p12(
                common_name=office.head_name or office.name, organisation=office.name, passphrase=passphrase
            )
        )
        path.chmod(0o600)
    return passphrase


def load() -> str:
    passphrase = _certificate()
    kadis = get_user_model().objects.filter(username="kadis").first()
    letter = _sign_invitation(passphrase=passphrase, user=kadis)
    report = Report.objects.filter(kind=Report.Kind.FOLLOWUP, year=YEAR).first()
    if report is not None and report.versions.exists():
        return f"Laporan: {report.title} sudah ditandatangani (versi {report.versions.count()}), dibiarkan.{letter}"
    if report is None:
        report = services.report_create(kind=Report.Kind.FOLLOWUP, year=YEAR, user=kadis)
    items = report.legal_basis_items
    if SE_SEKDA_2024 not in items:
        items = [item.rstrip(".") + ";" if not item.endswith(";") else item for item in items] + [SE_SEKDA_2024]
    report = services.report_update(
        report=report, user=kadis, document_date=DOCUMENT_DATE, place="Samarinda", legal_basis="\n".join(items)
    )
    try:
        _pdf, version = services.report_build_now(report=report, sign=True, passphrase=passphrase, user=kadis)
    except Exception as error:  # the demo must not stop `make run`; say why signing was skipped
        return f"Laporan: {report.title} dibuat tetapi tidak ditandatangani ({error}).{letter}"
    hint = "" if signing.configured_passphrase() else f" Frasa sandi sertifikat demo: {DEMO_PASSPHRASE}"
    return f"Laporan: {version.title}, versi {version.number} ditandatangani {version.signer_name}.{letter}{hint}"


def _sign_invitation(*, passphrase: str, user) -> str:
    """The seed's 11 November invitation was signed electronically: the demo signs its copy."""
    from followup.meeting_services import invitation_sign_with_passphrase
    from followup.models import Meeting

    meeting = (
        Meeting.objects.filter(kind=Meeting.Kind.RAPAT, letter_year=YEAR, letter_number__isnull=False)
        .exclude(signed_invitations__isnull=False)
        .order_by("date", "pk")
        .first()
    )
    if meeting is None:
        return ""
    try:
        version = invitation_sign_with_passphrase(meeting=meeting, user=user, passphrase=passphrase)
    except Exception as error:  # the demo must not stop `make run`
        return f" Surat undangan {meeting.letter_reference} tidak ditandatangani ({error})."
    return f" {version.title} ditandatangani."
