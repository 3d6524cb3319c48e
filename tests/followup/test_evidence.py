"""Evidence upload through the screen: content-checked, size-limited, served privately."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import Evidence
from followup.plans import evidence as evidence_services
from followup.storage import evidence_storage
from skm_portal.models import AuditEntry
from skm_portal.roles import Role

from .helpers import EXE_BYTES, HTML_BYTES, PDF_BYTES, image_bytes

pytestmark = pytest.mark.django_db


def upload(client, activity, name, data, title="Bukti"):
    url = reverse("followup:evidence_upload", kwargs={"activity": activity.pk})
    return client.post(url, {"title": title, "file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("notula rapat.pdf", PDF_BYTES, "application/pdf"),
        ("foto kegiatan.png", image_bytes("PNG"), "image/png"),
        ("foto kegiatan.jpg", image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_accepted_files_are_stored_privately_with_a_random_name(
    client_as, activity, evidence_root, name, data, content_type
):
    client = client_as(Role.PETUGAS_SKM)
    response = upload(client, activity, name, data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.content_type == content_type and evidence.size == len(data)
    assert evidence.original_name == name
    stored = Path(evidence_storage().path(evidence.file.name))
    assert stored.read_bytes() == data
    assert stored.is_relative_to(evidence_root)
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert Path(name).stem not in evidence.file.name  # random name, not the officer's
    assert AuditEntry.objects.filter(action="evidence_uploaded", object_id=str(evidence.pk)).exists()


@pytest.mark.parametrize(("name", "data"), [("laporan.pdf", EXE_BYTES), ("bukti.pdf", HTML_BYTES)])
def test_renamed_program_or_web_page_is_refused_and_nothing_saved(client_as, activity, evidence_root, name, data):
    client = client_as(Role.PETUGAS_SKM)
    audit_before = AuditEntry.objects.count()
    response = upload(client, activity, name, data)
    assert response.status_code == 200
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []
    assert AuditEntry.objects.count() == audit_before


def test_oversize_file_is_refused(client_as, activity, evidence_root, settings):
    settings.FOLLOWUP_EVIDENCE_MAX_BYTES = 1024
    client = client_as(Role.PETUGAS_SKM)
    response = upload(client, activity, "besar.pdf", PDF_BYTES + b"0" * 2000)
    assert "Berkas terlalu besar. Ukuran paling besar 1 KB." in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(evidence_root) == []


def test_default_size_limit_is_ten_megabytes(client_as, activity, settings):
    del settings.FOLLOWUP_EVIDENCE_MAX_BYTES
    client = client_as(Role.PETUGAS_SKM)
    response = upload(client, activity, "besar.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    assert "paling besar 10 MB" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.fixture
def pdf_evidence(activity, officer):
    return evidence_services.evidence_upload(
        activity=activity, user=officer, upload=SimpleUploadedFile("notula.pdf", PDF_BYTES), title="Notula rapat"
    )


def test_download_needs_login_and_the_follow_up_permission(client, make_user, pdf_evidence):
    url = reverse("followup:evidence_download", kwargs={"evidence": pdf_evidence.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]

    client.force_login(make_user(Role.PEMOHON))
    assert client.get(url).status_code in {403, 404}

    for role in (Role.PETUGAS_SKM, Role.KEPALA_DINAS):
        client.force_login(make_user(role))
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert 'filename="notula.pdf"' in response["Content-Disposition"]


def test_no_public_media_url_serves_the_file(client_as, pdf_evidence):
    with pytest.raises(ValueError):
        evidence_storage().url(pdf_evidence.file.name)
    client = client_as(Role.PETUGAS_SKM)
    assert client.get("/" + settings.MEDIA_URL + pdf_evidence.file.name).status_code == 404
    page = client.get(reverse("followup:activity", kwargs={"activity": pdf_evidence.activity_id})).content.decode()
    assert pdf_evidence.file.name not in page
    assert reverse("followup:evidence_download", kwargs={"evidence": pdf_evidence.pk}) in page


def test_removing_evidence_deletes_the_file_after_commit(
    client_as, pdf_evidence, evidence_root, django_capture_on_commit_callbacks
):
    path = Path(evidence_storage().path(pdf_evidence.file.name))
    client = client_as(Role.PETUGAS_SKM)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:evidence_delete", kwargs={"evidence": pdf_evidence.pk}))
    assert response.status_code == 302
    assert not Evidence.objects.exists() and not path.exists()


def test_links_are_evidence_and_only_http(client_as, activity):
    client = client_as(Role.PETUGAS_SKM)
    url = reverse("followup:evidence_link", kwargs={"activity": activity.pk})
    bad = client.post(url, {"title": "Skrip", "url": "javascript:alert(1)"})
    assert bad.status_code == 200 and not Evidence.objects.exists()
    good = client.post(url, {"title": "Unggahan Instagram", "url": "https://www.instagram.com/p/contoh/"})
    assert good.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.kind == Evidence.Kind.LINK and evidence.url == "https://www.instagram.com/p/contoh/"
    page = client.get(reverse("followup:activity", kwargs={"activity": activity.pk})).content.decode()
    assert 'href="https://www.instagram.com/p/contoh/" rel="noopener noreferrer"' in page


# --- a path in the file name -----------------------------------------------------------------
# The service refuses any name that carries a folder, a drive or "..": an Indonesian message
# on the "file" field and nothing stored. Over HTTP, Django's multipart parser has already cut
# "../../etc/" or "C:\x\" off before the view runs (so such a request cannot reach a path: the
# file is stored under a random name in the private root, as "passwd.pdf"); what survives the
# parser (a drive-relative "C:x.pdf", a bare "..") is refused like the service refuses it.
PATH_MESSAGE = "Nama berkas tidak boleh memuat folder atau lokasi"


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "C:\\x\\y.pdf", "C:y.pdf", "/srv/bukti.pdf", ".."])
def test_service_refuses_a_path_in_the_file_name(activity, officer, evidence_root, name):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    upload = ContentFile(PDF_BYTES, name=name)  # a File keeps its name as given (UploadedFile cuts "/")
    with pytest.raises(ValidationError) as refused:
        evidence_services.evidence_upload(activity=activity, user=officer, upload=upload, title="Bukti")
    assert PATH_MESSAGE in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists() and stored_files(evidence_root) == []


def multipart_upload(client, activity, filename: str, data: bytes):
    """POST the upload form with the multipart body written by hand: the filename goes as given."""
    boundary = "----batas-uji"
    token = client.get(reverse("followup:activity", kwargs={"activity": activity.pk})).cookies["csrftoken"].value
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBukti\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    url = reverse("followup:evidence_upload", kwargs={"activity": activity.pk})
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize(
    ("filename", "message"),
    [("C:bukti.pdf", PATH_MESSAGE), ("..", "Pilih berkas yang akan diunggah."), ("../..", "Pilih berkas")],
)
def test_http_upload_with_a_path_left_in_the_name_is_refused(client_as, activity, evidence_root, filename, message):
    client = client_as(Role.PETUGAS_SKM)
    client.handler.enforce_csrf_checks = True
    response = multipart_upload(client, activity, filename, PDF_BYTES)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(evidence_root) == []


@pytest.mark.parametrize("filename", ["../../etc/passwd.pdf", "..\\..\\Windows\\passwd.pdf", "C:\\x\\passwd.pdf"])
def test_http_upload_never_writes_where_the_name_points(client_as, activity, evidence_root, tmp_path, filename):
    client = client_as(Role.PETUGAS_SKM)
    response = multipart_upload(client, activity, filename, PDF_BYTES)
    assert response.status_code == 302
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.original_name == "passwd.pdf"  # Django's parser cut the folders off
    stored = Path(evidence_storage().path(evidence.file.name))
    assert stored.is_relative_to(evidence_root) and "passwd" not in stored.name
    assert stored_files(evidence_root) == [stored]
    assert not (evidence_root.parent / "etc").exists() and not list(tmp_path.rglob("passwd*"))


def test_evidence_goes_to_the_shared_private_store_when_media_is_on_s3(settings, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from followup.storage import evidence_storage

    settings.MEDIA_STORAGE = "s3"
    # Stand-in for the S3 "private" location: what matters is that every app server gets it.
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "shared"},
        },
    }
    storage = evidence_storage()
    assert isinstance(storage, FileSystemStorage)
    assert storage.location == str(tmp_path / "shared")
    settings.MEDIA_STORAGE = "local"
    assert evidence_storage().location == str((settings.FOLLOWUP_EVIDENCE_ROOT).resolve())
