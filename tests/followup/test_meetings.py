"""Meetings: creating one through the screens, the invitation letter and notula as pages and
PDFs, invitees grouped by unsur, meetings as RTL evidence, and the seed's demo meetings."""

import pytest
from django.urls import reverse

from followup import demo
from followup.meetings import documents
from followup.meetings import selectors as meeting_selectors
from followup.meetings import services as ms
from followup.models import Evidence, Meeting
from skm_portal.audit import audit_for
from skm_portal.roles import Role

from . import meeting_fixtures

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    text = meeting_fixtures.pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext not installed")
    return text


def test_officer_creates_a_meeting_with_invitees_and_numbers_its_letter(client_as):
    client = client_as(Role.KABID)
    assert client.get(reverse("followup:meeting_create") + "?jenis=rapat").status_code == 200
    bad = client.post(reverse("followup:meeting_create"), {"jenis": "rapat", "title": "", "date": "kemarin"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(
        reverse("followup:meeting_create"),
        {
            "jenis": "rapat", "title": "Rapat Evaluasi SOP", "agenda": "Pembahasan Evaluasi SP dan SOP",
            "date": "2024-11-11", "start_time": "10:00", "until_finished": "on", "place": "Ruang Rapat APT Pranoto",
            "classification_code": "500.16.7.2", "unit_code": "DPMPTSP-IV", "nature": "Penting",
            "attachment_sheets": "1", "subject": "Undangan", "invitees_attached": "on", "addressee_place": "Tempat",
            "closing": "Demikian kami sampaikan.", "letter_date": "2024-11-11", "signer_title": "Kepala",
            "signer_name": "Fahmi Prima Laksana, SE., M.M", "signer_rank": "Pembina Utama Muda",
            "signer_nip": "19680215 198903 1 008", "carbon_copy": "Pj. Gubernur Kalimantan Timur di Samarinda",
        },
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/rapat/{meeting.pk}/")
    assert meeting.signer_nip == "196802151989031008" and "Rapat Evaluasi SOP" in meeting.opening
    client.post(
        reverse("followup:invitee_group_add", kwargs={"meeting": meeting.pk}),
        {"lines": "Kepala Bidang LPNP\n\nPejabat Fungsional Bidang LPNP\n"},
    )
    client.post(reverse("followup:letter_number", kwargs={"meeting": meeting.pk}))
    meeting.refresh_from_db()
    assert meeting.letter_reference == "500.16.7.2/1/DPMPTSP-IV/2024"
    page = client.get(reverse("followup:invitation", kwargs={"meeting": meeting.pk})).content.decode()
    for part in (
        "500.16.7.2/1/DPMPTSP-IV/2024", "1 (satu) lembar", "Daftar Terlampir", "Senin, 11 November 2024",
        "Pukul 10.00 WITA s/d selesai", "NIP. 19680215 198903 1 008", "Pj. Gubernur Kalimantan Timur",
        "Lampiran Daftar Undangan", "Pejabat Fungsional Bidang LPNP",
    ):  # fmt: skip
        assert part in page, part
    assert "letter_numbered" in [entry.action for entry in audit_for(meeting)]


def test_fkp_invitee_groups_are_data_in_their_order(make_user):
    user = make_user(Role.PETUGAS_SKM)
    from .meeting_fixtures import make_fkp

    fkp = make_fkp(user)
    media = ms.invitee_group_save(meeting=fkp, user=user, heading="MEDIA MASSA", unsur="media", lines=["Tribun Kaltim"])
    ms.invitee_group_save(meeting=fkp, user=user, heading="UNSUR AKADEMISI", unsur="akademisi", lines=["Dekan FISIP"])
    ms.invitee_group_save(meeting=fkp, user=user, group=media, heading="MEDIA MASSA", unsur="media", lines=["A", "B"])
    html = documents.context(meeting_selectors.meeting_with_documents(fkp.pk), documents.INVITATION)
    from django.template.loader import render_to_string

    text = render_to_string(documents.INVITATION.template, html)
    assert text.index("I. MEDIA MASSA") < text.index("II. UNSUR AKADEMISI")
    assert "Tribun Kaltim" not in text and "<li>B</li>" in text
    with pytest.raises(Exception, match="sekurang-kurangnya satu"):
        ms.invitee_group_save(meeting=fkp, user=user, heading="KOSONG", lines=["  "])


def test_meeting_is_linked_as_evidence_of_an_activity(client_as, activity, make_user):
    from .meeting_fixtures import make_fkp

    meeting = make_fkp(make_user(Role.PETUGAS_SKM))
    client = client_as(Role.KASI)
    url = reverse("followup:evidence_record", kwargs={"activity": activity.pk})
    client.post(url, {"meeting": meeting.pk})
    again = client.post(url, {"meeting": meeting.pk}, follow=True)
    assert "sudah menjadi bukti dukung" in again.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.record_meeting) == (Evidence.Kind.RECORD, meeting)
    activity_page = client.get(reverse("followup:activity", kwargs={"activity": activity.pk})).content.decode()
    assert reverse("followup:meeting", kwargs={"meeting": meeting.pk}) in activity_page
    meeting_page = client.get(reverse("followup:meeting", kwargs={"meeting": meeting.pk})).content.decode()
    assert activity.title in meeting_page


@pytest.fixture
def demo_loaded(periods, make_user):
    make_user(Role.PETUGAS_SKM, username="petugas")
    demo.load()
    return Meeting.objects.get(kind=Meeting.Kind.RAPAT), Meeting.objects.get(kind=Meeting.Kind.FKP)


def test_demo_meeting_of_11_november_as_the_seed(demo_loaded, client_as):
    rapat, _fkp = demo_loaded
    assert rapat.letter_reference == "500.16.7.2/1493/DPMPTSP-IV/2024"
    assert len(rapat.minutes.points) == 5 and rapat.minutes.points[0].startswith("Rapat dipimpin dan dibuka")
    assert rapat.attendees.count() == 20
    assert list(rapat.attendees.values_list("number", flat=True)) == list(range(1, 21))
    client = client_as(Role.KEPALA_DINAS)
    text = pdf_text(client.get(reverse("followup:minutes_pdf", kwargs={"meeting": rapat.pk})).content)
    for part in ("NOTULA RAPAT", "I. Dasar Pelaksanaan", "V. Hasil Rapat", "Heru Pratama", "Notulis"):
        assert part in text, part
    invitation = pdf_text(client.get(reverse("followup:invitation_pdf", kwargs={"meeting": rapat.pk})).content)
    assert "500.16.7.2/1493/DPMPTSP-IV/2024" in invitation
    assert "DRAF" in invitation and "Balai Sertifikasi Elektronik" not in invitation  # not signed (yet)


def test_demo_fkp_of_30_october_as_the_seed(demo_loaded):
    rapat, fkp = demo_loaded
    assert fkp.letter_reference == "000.8.3.2/1457/DPMPTSP-SEKR/2024"
    assert [g.unsur for g in fkp.invitee_groups.order_by("position")] == [
        "pemerintah", "akademisi", "asosiasi_lsm", "media", "internal",
    ]  # fmt: skip
    assert fkp.invitee_groups.get(unsur="internal").invitees.count() == 26
    assert fkp.recommendations.count() == 4 and fkp.representatives.count() == 8
    assert fkp.attendees.filter(number__gte=84).count() == 17
    assert set(fkp.recommendations.values_list("followup_meeting", flat=True)) == {rapat.pk, None}
    assert Evidence.objects.filter(kind=Evidence.Kind.RECORD).count() == 2


def test_demo_meetings_load_twice_to_the_same_state(demo_loaded):
    def state():
        return sorted(
            (m.title, m.letter_reference, m.attendees.count(), m.recommendations.count()) for m in Meeting.objects.all()
        )

    before = state()
    demo.load()
    assert state() == before
