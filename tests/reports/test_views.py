"""The report pages: build with progress, sign, download, public verification."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from reports.models import ReportBuild, SignedVersion
from skm_portal.models import AuditEntry
from skm_portal.roles import Role
from tests.reports.helpers import PASSPHRASE


def test_running_build_is_polled(client_as, report_2024):
    build = services.build_create(report=report_2024)
    client = client_as(Role.KABID)
    page = client.get(reverse("reports:detail", kwargs={"report": report_2024.pk}))
    assert b'hx-trigger="every 2s"' in page.content
    assert b'http-equiv="refresh"' in page.content  # without JavaScript
    assert f"/draf/{build.pk}/status/".encode() in page.content


def test_only_the_head_of_office_may_open_the_signing_page(client_as, report_2024):
    for role in (Role.PETUGAS_SKM, Role.ADMINISTRATOR, Role.KABID):
        assert client_as(role).get(reverse("reports:sign", kwargs={"report": report_2024.pk})).status_code == 403


def test_officer_builds_a_draft_the_head_of_office_signs_it_and_anyone_verifies_it(client_as, make_user, report_2024):
    """One draft (a WeasyPrint build) along the whole path on the web: the officer builds it and
    follows its progress, the head of office signs and downloads it, the public verifies it."""
    from django.test import Client

    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("reports:build_start", kwargs={"report": report_2024.pk}), follow=True)
    assert response.status_code == 200
    build = ReportBuild.objects.get()
    assert build.status == ReportBuild.Status.DONE and build.progress == 100  # immediate backend in tests
    fragment = client.get(
        reverse("reports:build_status", kwargs={"report": report_2024.pk, "build": build.pk}), HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b"hx-trigger" not in fragment.content
    pdf = client.get(reverse("reports:build_download", kwargs={"report": report_2024.pk, "build": build.pk}))
    assert pdf["Content-Type"] == "application/pdf"

    # The head of office signs and downloads.
    kadis_client = Client()
    kadis_client.force_login(make_user(Role.KEPALA_DINAS, username="kadis_web"))
    url = reverse("reports:sign", kwargs={"report": report_2024.pk})
    assert b"Frasa sandi sertifikat" in kadis_client.get(url).content
    wrong = kadis_client.post(url, {"confirm": "on", "secret": "keliru"})
    assert wrong.status_code == 400 and not SignedVersion.objects.exists()
    kadis_client.post(url, {"confirm": "on", "secret": PASSPHRASE})
    version = SignedVersion.objects.get()
    signed = AuditEntry.objects.get(action="report_signed")
    assert signed.actor.username == "kadis_web" and signed.object_id == str(version.pk)
    assert version.verification_code in signed.summary
    assert not AuditEntry.objects.filter(action="report_signed").exclude(pk=signed.pk).exists()
    download = kadis_client.get(
        reverse("reports:version_download", kwargs={"report": report_2024.pk, "number": version.number})
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    with version.file.open("rb") as handle:
        pdf = handle.read()
    assert b"".join(download.streaming_content) == pdf

    # The public verification page and upload (no login).
    client = Client()
    page = client.get(reverse("reports:verify_code", kwargs={"ref": version.verification_code}))
    assert page.status_code == 200
    assert version.signer_name.encode() in page.content
    ok = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("l.pdf", pdf, "application/pdf")})
    assert b"verdict-valid" in ok.content
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    bad = client.post(
        reverse("reports:verify_code", kwargs={"ref": version.verification_code}),
        {"file": SimpleUploadedFile("l.pdf", bytes(changed), "application/pdf")},
    )
    assert b"verdict-valid" not in bad.content and b"TIDAK SAH" in bad.content
    assert client.get(reverse("reports:verify_code", kwargs={"ref": "tidak-ada"})).status_code == 404


def test_the_qr_code_in_the_pdf_leads_to_the_verification_page(report_2024):
    from reports.rendering import build_html, verify_url

    build = services.build_create(report=report_2024)
    assert 'class="segno"' not in build_html(build).html  # a draft has no QR code
    html = build_html(build, signed=True).html
    assert html.count('class="segno"') == 2  # kata pengantar and kesimpulan
    assert verify_url(build.verification_code) == "https://skm.example.go.id" + reverse(
        "reports:verify_code", kwargs={"ref": build.verification_code}
    )


def test_texts_are_editable_before_signing(client_as, report_2024):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("reports:edit", kwargs={"report": report_2024.pk})
    data = {
        "title": report_2024.title,
        "place": "Samarinda",
        "document_date": "2024-11-24",
        "foreword": "Kata pengantar baru.",
        "background": report_2024.background,
        "legal_basis": "Peraturan A;\nPeraturan B.",
        "conclusion": report_2024.conclusion,
    }
    assert client.post(url, data).status_code == 302
    report_2024.refresh_from_db()
    assert report_2024.revision == 2 and report_2024.legal_basis_items == ["Peraturan A;", "Peraturan B."]
    saved = AuditEntry.objects.filter(action="text_saved").latest("pk")
    assert saved.actor_display == "user_petugas_skm" and "revisi 2" in saved.summary
    assert saved.changes["kata pengantar"][1] == "Kata pengantar baru."
    html = services.rendering.report_html(report_2024, code="x", version_number=1).html
    assert "Kata pengantar baru." in html and "Samarinda, 24 November 2024" in html
