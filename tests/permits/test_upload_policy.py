"""Permit documents go through the portal's one upload policy (content, not the name),
and a revision needs a replaced document or a reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from permits.models import PermitApplication, PermitDocument
from permits.services import TransitionRefused, permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role

from .helpers import PDF_BYTES, documents_for, pdf

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("ktp.pdf", HTML, "bukan PDF, JPEG atau PNG"),
        ("ktp.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "akhir berkas tidak ditemukan"),
        ("ktp.pdf", PDF_BYTES[:40], "akhir berkas tidak ditemukan"),
        ("ktp.exe", PDF_BYTES, "Jenis berkas tidak diterima"),
    ],
)
def test_the_apply_form_refuses_files_by_content_and_stores_nothing(
    client, people, water_permit, name, content, message
):
    client.force_login(people[Role.PEMOHON])
    data = {f"dokumen_{pk}": pdf() for pk in documents_for(water_permit)}
    first = next(iter(documents_for(water_permit)))
    data[f"dokumen_{first}"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    data["declaration"] = "on"
    response = client.post(reverse("permits:apply_form", args=[water_permit.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not PermitApplication.objects.exists() and not PermitDocument.objects.exists()


def test_the_service_refuses_html_named_pdf_too(people, water_permit):
    documents = documents_for(water_permit)
    documents[next(iter(documents))] = SimpleUploadedFile("ktp.pdf", HTML)
    from permits.services import permit_apply

    with pytest.raises(TransitionRefused, match="bukan PDF"):
        permit_apply(applicant=people[Role.PEMOHON], permit_type=water_permit, documents=documents, declaration=True)
    assert not PermitApplication.objects.exists()


def test_a_revision_needs_a_replaced_document_or_a_reason(people, water_permit, apply, advance):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KABID)
    permit = permit_transition(
        permit=permit, action=Action.KABID_RETURN, actor=people[Role.KABID], note="Lampirkan NIB."
    )
    with pytest.raises(TransitionRefused, match="Ganti sekurang-kurangnya satu dokumen"):
        permit_transition(permit=permit, action=Action.SAVE_REVISION, actor=people[Role.PEMOHON], declaration=True)
    assert PermitApplication.objects.get(pk=permit.pk).step == Step.REVISI
    explained = permit_transition(
        permit=permit,
        action=Action.SAVE_REVISION,
        actor=people[Role.PEMOHON],
        declaration=True,
        note="NIB ada di halaman 2 akta.",
    )
    assert explained.step == Step.VALIDASI_KABID


def test_the_revision_form_asks_for_a_document_or_an_explanation(client, people, water_permit, apply, advance):
    permit = advance(apply(water_permit, notify=False), Step.VALIDASI_KABID)
    permit = permit_transition(
        permit=permit, action=Action.KABID_RETURN, actor=people[Role.KABID], note="Lampirkan NIB."
    )
    client.force_login(people[Role.PEMOHON])
    url = reverse("permits:revision_form", args=[permit.pk])
    refused = client.post(url, {"declaration": "on"})
    assert refused.status_code == 200 and "Ganti sekurang-kurangnya satu dokumen" in refused.content.decode()
    assert PermitApplication.objects.get(pk=permit.pk).step == Step.REVISI
    nib = water_permit.required_documents.first()
    replaced = client.post(url, {"declaration": "on", f"dokumen_{nib.pk}": pdf("nib.pdf")})
    assert replaced.status_code == 302
    assert PermitApplication.objects.get(pk=permit.pk).step == Step.VALIDASI_KABID
    assert PermitDocument.objects.filter(application=permit, original_name="nib.pdf", is_current=True).exists()
