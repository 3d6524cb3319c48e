"""Signing, immutability and verification: the commands and the service."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from reports import services
from reports.models import ReportBuild, SignedVersion
from reports.verification import Status, verify_pdf
from skm_portal.roles import Role
from tests.reports.helpers import PASSPHRASE, demo_officer


@pytest.fixture
def kadis(make_user):
    return make_user(Role.KEPALA_DINAS, username="kadis_uji", password="sandi-kadis-123")


@pytest.fixture
def signed(report_2024, kadis):
    pdf, version = services.report_build_now(report=report_2024, sign=True, passphrase=PASSPHRASE, user=kadis)
    return pdf, version


def run_verify(path):
    try:
        call_command("report_verify", str(path))
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_report_build_command_signs_and_report_verify_accepts_only_the_intact_file(demo_2024, tmp_path, settings):
    settings.REPORT_SIGNING_PASSPHRASE = PASSPHRASE
    output = tmp_path / "laporan-2024.pdf"
    call_command("report_build", "--year", "2024", "--output", str(output), "--sign")
    data = output.read_bytes()
    version = SignedVersion.objects.get()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert run_verify(output) == 0

    for position in (len(data) // 3, len(data) // 2, len(data) - 200):
        changed = bytearray(data)
        changed[position] ^= 0x01
        bad = tmp_path / f"changed-{position}.pdf"
        bad.write_bytes(bytes(changed))
        assert run_verify(bad) == 1
        assert not verify_pdf(bytes(changed)).ok


def test_a_draft_is_signed_only_by_the_head_of_office_with_the_right_secret(
    report_2024, kadis, make_user, settings, tmp_path
):
    """Each refusal on one draft (a WeasyPrint build each was most of these tests' time): the
    refusals store nothing and leave the draft signable, which the last step shows. The
    unsigned draft itself, and a file that is no PDF, never pass verification."""
    from django.core.exceptions import PermissionDenied

    build = services.build_create(report=report_2024, user=kadis)
    build = services.build_run(build_id=build.pk)
    with build.file.open("rb") as handle:
        draft = handle.read()
    path = tmp_path / "draf.pdf"
    path.write_bytes(draft)
    assert run_verify(path) == 1
    assert verify_pdf(draft).status == Status.UNSIGNED
    assert verify_pdf(b"not a pdf at all").status == Status.UNREADABLE
    # Only the head of office signs.
    with pytest.raises(PermissionDenied):
        services.report_sign(build=build, user=make_user(Role.PETUGAS_SKM), secret=PASSPHRASE)
    # A wrong passphrase stores nothing.
    with pytest.raises(ValidationError, match="Frasa sandi sertifikat salah"):
        services.report_sign(build=build, user=kadis, secret="salah")
    assert not SignedVersion.objects.exists()
    # A self-signed certificate never claims BSrE.
    settings.REPORT_CERT_IS_BSRE = True
    with pytest.raises(ValidationError, match="BSrE"):
        services.report_sign(build=build, user=kadis, secret=PASSPHRASE)
    assert not SignedVersion.objects.exists()
    settings.REPORT_CERT_IS_BSRE = False
    # When the server holds the passphrase, the signer re-logs in instead of typing it.
    settings.REPORT_SIGNING_PASSPHRASE = PASSPHRASE
    with pytest.raises(ValidationError, match="Kata sandi salah"):
        services.report_sign(build=build, user=kadis, secret=PASSPHRASE)  # not the user's password
    assert not SignedVersion.objects.exists()
    version = services.report_sign(build=build, user=kadis, secret="sandi-kadis-123")
    assert version.number == 1
    with version.file.open("rb") as handle:
        assert verify_pdf(handle.read()).ok


def test_a_signed_version_names_signer_and_time_never_changes_and_a_change_makes_a_new_version(
    signed, report_2024, kadis, make_user
):
    """One signed report (a WeasyPrint build and a signature) for the verdict on it and on an
    appended update, then for its immutability when the data and the text change."""
    from django.core.exceptions import PermissionDenied
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from followup.models import FollowUpPlan
    from followup.plans import services as followup_services

    pdf, first = signed
    version = first
    # An incremental update (what a PDF editor appends) keeps the signed bytes but adds content.
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/PageMode"] = generic.NameObject("/FullScreen")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    appended = out.getvalue()
    assert appended.startswith(pdf)
    verdict = verify_pdf(appended)
    assert not verdict.ok
    assert verdict.status == Status.MODIFIED
    assert verdict.claimed == version

    # The intact file: the verdict names the signer and the time.
    verdict = verify_pdf(pdf)
    assert verdict.ok
    assert verdict.version == version
    assert version.signer == kadis
    assert version.signer_name == "H. Fahmi Prima Laksana, S.E., M.M"
    assert version.number == 1
    assert "Kepala Uji" in verdict.signer_subject
    assert verdict.signed_at is not None
    assert version.file.name.startswith("reports/") and "laporan" not in version.file.name
    assert not version.certificate_is_bsre

    # A change makes a new version; the signed one never changes.
    stale = services.build_create(report=report_2024, user=kadis)
    services.build_run(build_id=stale.pk)
    # Data changed since the draft (the report's text did not yet) blocks signing it, and leaves it done.
    followup_services.activity_add(plan=FollowUpPlan.objects.first(), user=demo_officer(), title="Kegiatan baru")
    with pytest.raises(ValidationError, match="Data laporan berubah"):
        services.report_sign(build=stale, user=kadis, secret=PASSPHRASE)
    assert ReportBuild.objects.get(pk=stale.pk).status == ReportBuild.Status.DONE
    # The head of office signs; the SKM officer writes the text (reports.edit).
    with pytest.raises(PermissionDenied):
        services.report_update(report=report_2024, user=kadis, conclusion="Kesimpulan kepala dinas.")
    services.report_update(
        report=report_2024, user=make_user(Role.PETUGAS_SKM), conclusion="Kesimpulan yang diperbarui."
    )
    with pytest.raises(ValidationError, match="Isian laporan telah diubah"):
        services.report_sign(build=stale, user=kadis, secret=PASSPHRASE)  # text changed since this draft
    fresh = services.build_create(report=report_2024, user=kadis)
    services.build_run(build_id=fresh.pk)
    second = services.report_sign(build=fresh, user=kadis, secret=PASSPHRASE)
    assert second.number == 2
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == pdf
    assert verify_pdf(pdf).ok and verify_pdf(pdf).superseded
    with pytest.raises(ValidationError):
        services.report_sign(build=fresh, user=kadis, secret=PASSPHRASE)  # a draft is signed once


def test_one_opened_certificate_signs_several_files_each_valid_for_pyhanko():
    """The signer keeps its key parsed between signatures (reports/signing.py): every signature
    it makes is still a valid PKCS#1 v1.5 signature by the certificate's key."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from reports import signing
    from skm_portal.pdf import html_to_pdf

    identity = signing.load_identity(PASSPHRASE)
    for text in ("Dokumen pertama", "Dokumen kedua"):
        signed = signing.sign_pdf(
            html_to_pdf(f"<p>{text}</p>"), identity=identity, reason="Uji", location="Samarinda", name="Kepala Uji"
        )
        (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
        status = validate_pdf_signature(embedded)
        assert status.intact and status.valid
        assert status.md_algorithm == "sha256"
        assert embedded.signer_cert.sha256 == signing.load_identity(PASSPHRASE).signer.signing_cert.sha256
