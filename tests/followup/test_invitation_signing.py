"""Invitations (meetings and the FKP): a draft says DRAF; the signer signs it as a report is signed."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.meetings import documents
from followup.meetings import selectors as meeting_selectors
from followup.meetings import services as ms
from reports import invitations, signing
from reports.models import SignedVersion
from reports.verification import Status, verify_pdf
from skm_portal.audit import audit_for
from skm_portal.roles import Role
from tests.followup.meeting_fixtures import make_fkp
from tests.reports.helpers import PASSPHRASE, certificate_bytes, pdf_pages

CLAIMS = ("ditandatangani secara elektronik", "BSrE", "verifikasi")


@pytest.fixture(autouse=True)
def certificate(settings, tmp_path):
    p12 = tmp_path / "signing.p12"
    p12.write_bytes(certificate_bytes())
    settings.REPORT_SIGNING_P12 = str(p12)
    settings.REPORT_SIGNING_PASSPHRASE = ""
    settings.REPORT_CERT_IS_BSRE = False
    settings.SITE_URL = "https://skm.kaltimprov.go.id"


@pytest.fixture
def kadis(make_user):
    return make_user(Role.KEPALA_DINAS, username="kadis_surat", password="sandi-kadis-123")


@pytest.fixture
def fkp(officer):
    meeting = make_fkp(officer)
    ms.invitee_group_save(meeting=meeting, user=officer, heading="UNSUR AKADEMISI", lines=["Dekan FISIP Unmul"])
    return ms.invitation_assign_number(meeting=meeting, user=officer, number=1493)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_draft_invitation_says_draf_on_every_page_and_claims_no_signature(fkp, tmp_path):
    draft = documents.pdf(meeting_selectors.meeting_with_documents(fkp.pk), documents.INVITATION)
    pages = pdf_pages(draft, tmp_path)
    assert len(pages) == 2  # the letter and its attached invitee list
    for number, text in enumerate(pages, start=1):
        assert "DRAF" in text, f"page {number}"
        assert not any(claim in text for claim in CLAIMS), f"page {number}: {text[-300:]}"
    assert fkp.invitation_signed is False


def test_the_signer_signs_the_invitation_and_the_verification_page_verifies_it(fkp, kadis, client, tmp_path):
    version = invitations.invitation_sign(meeting=fkp, user=kadis, secret=PASSPHRASE)

    assert fkp.invitation_signed is True
    assert version.meeting == fkp and version.report is None and version.number == 1
    assert version.signer_name == "Fahmi Prima Laksana, SE, MM" and version.signer == kadis
    assert "000.8.3.2/1493/DPMPTSP-SEKR/2024" in version.title
    link = f"https://skm.kaltimprov.go.id/laporan/verifikasi/{version.verification_code}/"
    assert version.verification_url == link
    assert any(e.action == "invitation_signed" and e.actor == kadis for e in audit_for(fkp))

    with version.file.open("rb") as handle:
        signed = handle.read()
    pages = [squash(p) for p in pdf_pages(signed, tmp_path, layout=False)]
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert "DRAF" not in text, f"page {number}"
        assert text.count("ditandatangani secara elektronik") == 1, f"page {number}"
        assert "BSrE" not in text  # a self-signed certificate never claims BSrE
    assert link in pages[0].replace(" ", "")
    assert verify_pdf(signed).ok

    page = client.get(reverse("reports:verify_code", kwargs={"ref": version.verification_code}))
    assert page.status_code == 200 and "1493" in page.content.decode()
    checked = client.post(
        reverse("reports:verify_code", kwargs={"ref": version.verification_code}),
        {"file": SimpleUploadedFile("undangan.pdf", signed, "application/pdf")},
    )
    assert b"verdict-valid" in checked.content
    changed = bytearray(signed)
    changed[len(changed) // 2] ^= 0x01
    assert verify_pdf(bytes(changed)).status in {Status.MODIFIED, Status.UNKNOWN, Status.INVALID}

    # The officers' PDF link now leads to the signed file itself (kept by the reports app).
    client.force_login(kadis)
    served = client.get(reverse("followup:invitation_pdf", kwargs={"meeting": fkp.pk}), follow=True)
    assert served.redirect_chain[-1][0] == reverse("reports:invitation_pdf", kwargs={"meeting": fkp.pk})
    assert b"".join(served.streaming_content) == signed


def test_the_signing_page_signs_with_the_passphrase(fkp, kadis, client):
    client.force_login(kadis)
    url = reverse("reports:invitation_sign", kwargs={"meeting": fkp.pk})
    assert "Tandatangani surat undangan" in client.get(url).content.decode()
    wrong = client.post(url, {"confirm": "on", "secret": "salah"})
    assert wrong.status_code == 400 and "Frasa sandi sertifikat salah" in wrong.content.decode()
    assert not SignedVersion.objects.exists()
    assert client.post(url, {"confirm": "on", "secret": PASSPHRASE}).status_code == 302
    assert SignedVersion.objects.get().meeting == fkp


def test_only_the_head_of_office_signs_a_numbered_letter_once(fkp, kadis, officer, make_user):
    with pytest.raises(PermissionDenied):
        invitations.invitation_sign(meeting=fkp, user=officer, secret=PASSPHRASE)
    with pytest.raises(PermissionDenied):
        invitations.invitation_sign(meeting=fkp, user=make_user(Role.KABID, username="kabid_surat"), secret=PASSPHRASE)
    unnumbered = make_fkp(officer, title="FKP tanpa nomor")
    with pytest.raises(ValidationError, match="Beri nomor surat"):
        invitations.invitation_sign(meeting=unnumbered, user=kadis, secret=PASSPHRASE)
    invitations.invitation_sign(meeting=fkp, user=kadis, secret=PASSPHRASE)
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        invitations.invitation_sign(meeting=fkp, user=kadis, secret=PASSPHRASE)
    assert SignedVersion.objects.count() == 1


def test_production_refuses_to_sign_a_letter_while_site_url_is_local(fkp, kadis, settings):
    settings.DEBUG, settings.SITE_URL = False, "http://127.0.0.1:8000"
    with pytest.raises(ValidationError, match="Penandatanganan ditolak"):
        invitations.invitation_sign(meeting=fkp, user=kadis, secret=PASSPHRASE)
    assert not SignedVersion.objects.exists() and fkp.invitation_signed is False


def test_the_bsre_sentence_appears_only_for_a_declared_bsre_certificate(fkp, settings):
    from django.template.loader import render_to_string

    meeting = meeting_selectors.meeting_with_documents(fkp.pk)

    def letter(signed) -> str:
        context = documents.context(meeting, documents.INVITATION, pdf=True, signed=signed)
        return squash(render_to_string("followup/documents/standalone.html", context))

    bsre = "diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN"
    marks = signing.signed_marks(code="kode-surat", office_name="DPMPTSP")
    assert bsre not in letter(marks) and "https://skm.kaltimprov.go.id/laporan/verifikasi/kode-surat/" in letter(marks)
    settings.REPORT_CERT_IS_BSRE = True
    assert bsre in letter(signing.signed_marks(code="kode-surat", office_name="DPMPTSP"))
    assert "BSrE" not in letter(None) and "DRAF" in letter(None)
