"""Forum Konsultasi Publik: berita acara, recommendations tracked to completion, the public
monitoring page (no login, no phone numbers), and the representatives' personal data."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.meetings import fkp_services
from followup.meetings import services as ms
from followup.models import Meeting, Recommendation
from skm_portal.audit import audit_for
from skm_portal.roles import Role

from .meeting_fixtures import make_fkp, meeting_url_objects, pdf_text

pytestmark = pytest.mark.django_db

PHONE = "08125545310"


@pytest.fixture
def officer(make_user):
    return make_user(Role.PETUGAS_SKM, username="petugas_fkp")


@pytest.fixture
def fkp(officer):
    objects = meeting_url_objects(officer)
    return Meeting.objects.get(pk=objects["meeting"])


def test_public_monitoring_page_shows_progress_but_no_phone_numbers_or_names(client, fkp, officer):
    item = fkp.recommendations.get()
    fkp_services.recommendation_update(
        recommendation=item, user=officer, problem=item.problem, recommendation_text=item.recommendation,
        completion_period="November 2024", due_date=None, responsible_unit="Bidang LPNP", activity=None,
        followup_meeting=None, progress_note="SOP dievaluasi dalam rapat.",
    )  # fmt: skip
    fkp_services.recommendation_set_status(recommendation=item, user=officer, status=Recommendation.Status.DONE)
    listing = client.get(reverse("followup:fkp_monitoring")).content.decode()
    assert fkp.title in listing and "1 dari 1 rekomendasi selesai" in listing
    page = client.get(reverse("followup:fkp_monitoring_detail", kwargs={"meeting": fkp.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Perbaikan" in html and "SOP dievaluasi dalam rapat." in html and "Selesai" in html
    assert PHONE not in html and "Ignatius" not in html


def test_officers_see_the_phone_numbers_in_the_meeting_page_and_berita_acara(client_as, fkp):
    client = client_as(Role.KEPALA_DINAS)
    assert PHONE in client.get(reverse("followup:meeting", kwargs={"meeting": fkp.pk})).content.decode()
    assert PHONE in client.get(reverse("followup:berita_acara", kwargs={"meeting": fkp.pk})).content.decode()


def test_plain_meetings_are_not_on_the_public_page(client, officer):
    rapat = ms.meeting_create(
        user=officer, kind=Meeting.Kind.RAPAT, title="Rapat internal", agenda="Evaluasi", date=make_fkp(officer).date,
        place="Ruang rapat", classification_code="500", unit_code="IV", signer_title="Kepala", signer_name="Fahmi",
    )  # fmt: skip
    assert client.get(reverse("followup:fkp_monitoring_detail", kwargs={"meeting": rapat.pk})).status_code == 404
    with pytest.raises(ValidationError, match="hanya ada pada Forum Konsultasi Publik"):
        fkp_services.recommendation_add(meeting=rapat, user=officer, problem="x", recommendation="y")


def test_a_recommendation_is_done_only_with_a_progress_note(fkp, officer):
    item = fkp.recommendations.get()
    with pytest.raises(ValidationError, match="isi dahulu perkembangan"):
        fkp_services.recommendation_set_status(recommendation=item, user=officer, status=Recommendation.Status.DONE)
    item.refresh_from_db()
    assert item.status == Recommendation.Status.PLANNED
    with pytest.raises(ValidationError):
        fkp_services.recommendation_set_status(recommendation=item, user=officer, status="hilang")


def test_recommendation_links_the_activity_and_meeting_that_carry_it_out(client_as, fkp, officer, activity):
    rapat = make_fkp(officer, title="Rapat evaluasi SOP")
    item = fkp.recommendations.get()
    client = client_as(Role.KABID)
    url = reverse("followup:recommendation_edit", kwargs={"recommendation": item.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "problem": item.problem, "recommendation": item.recommendation, "completion_period": "1 bulan",
            "due_date": "2024-11-30", "responsible_unit": "Bidang LPNP", "activity": activity.pk,
            "followup_meeting": rapat.pk, "progress_note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.activity, item.followup_meeting, str(item.due_date)) == (activity, rapat, "2024-11-30")
    assert "recommendation_updated" in [entry.action for entry in audit_for(fkp)]
    public = client.get(reverse("followup:fkp_monitoring_detail", kwargs={"meeting": fkp.pk})).content.decode()
    assert "Rapat evaluasi SOP" in public and "30 November 2024" in public


def test_bad_phone_number_is_refused(fkp, officer):
    with pytest.raises(ValidationError, match="Nomor HP"):
        fkp_services.representative_add(meeting=fkp, user=officer, name="X", represents="Y", phone="0812-abc")
    assert fkp.representatives.count() == 1


def test_berita_acara_writes_the_date_in_words_and_renders_as_pdf(client_as, fkp):
    client = client_as(Role.PETUGAS_SKM)
    page = client.get(reverse("followup:berita_acara", kwargs={"meeting": fkp.pk})).content.decode()
    assert "<strong>Rabu</strong> tanggal <strong>Tiga Puluh</strong> bulan <strong>Oktober</strong>" in page
    assert "<strong>Dua Ribu Dua Puluh Empat</strong>" in page
    pdf = client.get(reverse("followup:berita_acara_pdf", kwargs={"meeting": fkp.pk})).content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    if text is not None:
        assert "BERITA ACARA" in text and "Identifikasi Masalah" in text and "Ombudsman RI" in text


def test_viewers_cannot_change_the_berita_acara(client_as, fkp):
    client = client_as(Role.KEPALA_DINAS)
    response = client.post(
        reverse("followup:recommendation_add", kwargs={"meeting": fkp.pk}), {"problem": "a", "recommendation": "b"}
    )
    assert response.status_code == 403
    assert fkp.recommendations.count() == 1
    assert client_as(Role.PEMOHON).get(reverse("followup:meeting", kwargs={"meeting": fkp.pk})).status_code == 403


@pytest.mark.django_db
def test_removing_a_row_closes_the_numbering(officer):
    meeting = make_fkp(officer)
    rows = [
        fkp_services.recommendation_add(
            meeting=meeting, user=officer, problem=f"Masalah {i}", recommendation="Perbaikan"
        )
        for i in range(3)
    ]
    people = [
        fkp_services.representative_add(meeting=meeting, user=officer, name=f"Wakil {i}", represents="LSM")
        for i in range(3)
    ]
    fkp_services.recommendation_remove(recommendation=rows[0], user=officer)
    fkp_services.representative_remove(representative=people[1], user=officer)
    assert list(meeting.recommendations.order_by("number").values_list("number", "problem")) == [
        (1, "Masalah 1"),
        (2, "Masalah 2"),
    ]
    assert list(meeting.representatives.order_by("number").values_list("number", "name")) == [
        (1, "Wakil 0"),
        (2, "Wakil 2"),
    ]


def test_an_fkp_dated_in_the_future_shows_as_planned_not_held(client, client_as, officer):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    held = make_fkp(officer, title="FKP yang sudah lewat")
    planned = make_fkp(officer, title="FKP bulan depan", date=today + dt.timedelta(days=30), letter_date=today)
    for meeting in (held, planned):
        fkp_services.recommendation_add(meeting=meeting, user=officer, problem="Masalah", recommendation="Perbaikan")
        fkp_services.berita_acara_save(
            meeting=meeting,
            user=officer,
            left_title="Kepala Bidang",
            left_name="Heru",
            right_title="Kepala Dinas,",
            right_name="Fahmi",
        )
    listing = client.get(reverse("followup:fkp_monitoring")).content.decode()
    assert "Direncanakan: " + words_date(planned.date) in listing
    assert "Terlaksana: Rabu, 30 Oktober 2024" in listing
    detail = client.get(reverse("followup:fkp_monitoring_detail", kwargs={"meeting": planned.pk})).content.decode()
    assert "Direncanakan:" in detail and "Terlaksana" not in detail
    officers = client_as(Role.PETUGAS_SKM).get(reverse("followup:meetings")).content.decode()
    row = officers.split("FKP bulan depan", 1)[1].split("</tr>", 1)[0]
    assert "Direncanakan" in row and "Terlaksana" not in row


def words_date(day):
    from followup.meetings import words

    return words.date_long(day)
