"""Letter numbers: classification / running number of the year / unit / year, without gaps
or duplicates, also when officers number letters at the same moment (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from followup.meetings import services as ms
from followup.models import LetterCounter, Meeting

from .meeting_fixtures import make_fkp


@pytest.fixture
def officer(make_user):
    from skm_portal.roles import Role

    return make_user(Role.PETUGAS_SKM, username="pencatat_surat")


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_year_and_restart_next_year(officer):
    first = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    second = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    next_year = ms.invitation_assign_number(meeting=make_fkp(officer, letter_date=dt.date(2025, 1, 2)), user=officer)
    assert (first.letter_number, second.letter_number, next_year.letter_number) == (1, 2, 1)
    assert first.letter_reference == "000.8.3.2/1/DPMPTSP-SEKR/2024"
    assert next_year.letter_reference.endswith("/1/DPMPTSP-SEKR/2025")


@pytest.mark.django_db
def test_number_from_the_paper_register_moves_the_counter_and_cannot_be_reused(officer):
    paper = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1457)
    assert paper.letter_reference == "000.8.3.2/1457/DPMPTSP-SEKR/2024"
    following = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    assert following.letter_number == 1458
    other = make_fkp(officer)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        ms.invitation_assign_number(meeting=other, user=officer, number=1457)
    other.refresh_from_db()
    assert other.letter_number is None
    assert LetterCounter.objects.get(year=2024).last == 1458


@pytest.mark.django_db
def test_a_numbered_letter_keeps_its_number_and_meeting(officer):
    meeting = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer)
    with pytest.raises(ValidationError, match="sudah bernomor"):
        ms.invitation_assign_number(meeting=meeting, user=officer)
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        ms.meeting_remove(meeting=meeting, user=officer)
    with pytest.raises(ValidationError):
        ms.meeting_update(meeting=meeting, user=officer, letter_date=dt.date(2025, 1, 3))
    meeting.refresh_from_db()
    assert (meeting.letter_number, meeting.letter_date) == (1, dt.date(2024, 10, 28))


@pytest.mark.django_db
def test_numbering_over_http_needs_the_manage_permission(client_as, officer):
    from django.urls import reverse

    from skm_portal.roles import Role

    meeting = make_fkp(officer)
    url = reverse("followup:letter_number", kwargs={"meeting": meeting.pk})
    assert client_as(Role.KEPALA_DINAS).post(url).status_code == 403
    assert client_as(Role.KABID).post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.letter_number == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_numbering_gives_each_letter_its_own_number_without_gaps(officer, make_user):
    """Twelve officers press "beri nomor" at the same moment: twelve parallel HTTP requests."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are tested on PostgreSQL")
    from django.test import Client
    from django.urls import reverse

    from skm_portal.roles import Role

    workers = 12
    meetings = [make_fkp(officer, title=f"Rapat {i}") for i in range(workers)]
    kabid = make_user(Role.KABID, username="kabid_paralel")
    barrier = threading.Barrier(workers)
    errors = []
    statuses = []

    def number(meeting):
        try:
            client = Client()
            client.force_login(kabid)
            barrier.wait()
            url = reverse("followup:letter_number", kwargs={"meeting": meeting.pk})
            statuses.append(client.post(url).status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=number, args=(m,)) for m in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [302] * workers
    numbers = sorted(Meeting.objects.filter(letter_year=2024).values_list("letter_number", flat=True))
    assert numbers == list(range(1, workers + 1))
    assert LetterCounter.objects.get(year=2024).last == workers


# --- agenda book, reserved ranges, the app's first number, corrections --------------------


def _audit(meeting, action):
    from skm_portal.audit import audit_for

    return [entry for entry in audit_for(meeting) if entry.action == action]


@pytest.mark.django_db
def test_agenda_book_number_is_unique_per_year_and_classification_code(officer):
    first = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1493)
    assert first.letter_reference == "000.8.3.2/1493/DPMPTSP-SEKR/2024"
    assert first.letter_number_source == "agenda"
    same_code = make_fkp(officer)
    with pytest.raises(ValidationError) as refused:
        ms.invitation_assign_number(meeting=same_code, user=officer, number=1493)
    assert "Nomor 1493 tahun 2024 dengan kode klasifikasi 000.8.3.2 sudah dipakai surat lain" in str(refused.value)
    same_code.refresh_from_db()
    assert same_code.letter_number is None
    other_code = ms.invitation_assign_number(
        meeting=make_fkp(officer, classification_code="500.16.7.2", unit_code="DPMPTSP-IV"), user=officer, number=1493
    )
    assert other_code.letter_reference == "500.16.7.2/1493/DPMPTSP-IV/2024"
    next_year = ms.invitation_assign_number(
        meeting=make_fkp(officer, letter_date=dt.date(2025, 1, 6)), user=officer, number=1493
    )
    assert next_year.letter_reference == "000.8.3.2/1493/DPMPTSP-SEKR/2025"
    assert "buku agenda" in _audit(first, "letter_numbered")[0].summary


@pytest.mark.django_db
def test_changing_the_code_onto_a_taken_number_is_refused(officer):
    ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=20)
    other = ms.invitation_assign_number(
        meeting=make_fkp(officer, classification_code="500.16.7.2"), user=officer, number=20
    )
    with pytest.raises(ValidationError, match="sudah dipakai surat lain"):
        ms.meeting_update(meeting=other, user=officer, classification_code="000.8.3.2")
    other.refresh_from_db()
    assert other.classification_code == "500.16.7.2"


@pytest.mark.django_db
def test_a_reserved_range_is_drawn_in_order_skipping_used_numbers_until_exhausted(officer):
    from followup.meetings.letter_numbers import letter_range_create

    number_range = letter_range_create(user=officer, year=2024, first=1490, last=1492, note="Subbag Umum")
    ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1491)  # typed from the book
    drawn = [
        ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number_range=number_range).letter_number
        for _ in range(2)
    ]
    assert drawn == [1490, 1492]
    assert make_fkp(officer).letter_number is None
    waiting = make_fkp(officer)
    with pytest.raises(ValidationError) as refused:
        ms.invitation_assign_number(meeting=waiting, user=officer, number_range=number_range)
    assert "Rentang nomor 1490\u20131492 tahun 2024 sudah habis terpakai" in str(refused.value)
    waiting.refresh_from_db()
    assert waiting.letter_number is None
    number_range.refresh_from_db()
    assert (number_range.next_number, number_range.remaining) == (1493, 0)


@pytest.mark.django_db
def test_a_range_of_another_year_and_overlapping_ranges_are_refused(officer):
    from followup.meetings.letter_numbers import letter_range_create

    range_2025 = letter_range_create(user=officer, year=2025, first=1, last=10)
    with pytest.raises(ValidationError, match="milik tahun 2025"):
        ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number_range=range_2025)
    with pytest.raises(ValidationError, match="bertumpang tindih dengan rentang 1\u201310"):
        letter_range_create(user=officer, year=2025, first=10, last=20)
    with pytest.raises(ValidationError, match="Nomor akhir harus"):
        letter_range_create(user=officer, year=2025, first=30, last=20)


@pytest.mark.django_db
def test_the_app_starts_at_the_first_number_and_steps_over_reserved_ranges(officer):
    from followup.meetings.letter_numbers import letter_counter_set_first, letter_range_create

    letter_counter_set_first(user=officer, year=2024, first_number=1401)
    letter_range_create(user=officer, year=2024, first=1402, last=1404)
    numbers = [ms.invitation_assign_number(meeting=make_fkp(officer), user=officer).letter_number for _ in range(3)]
    assert numbers == [1401, 1405, 1406]
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        letter_counter_set_first(user=officer, year=2024, first_number=1)
    assert LetterCounter.objects.get(year=2024).first_number == 1401


@pytest.mark.django_db
def test_a_range_is_removable_only_while_untouched(officer):
    from followup.meetings.letter_numbers import letter_range_create, letter_range_remove
    from followup.models import LetterNumberRange

    spare = letter_range_create(user=officer, year=2024, first=50, last=59)
    used = letter_range_create(user=officer, year=2024, first=60, last=69)
    ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number_range=used)
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        letter_range_remove(user=officer, number_range=used)
    letter_range_remove(user=officer, number_range=spare)
    assert list(LetterNumberRange.objects.values_list("first", flat=True)) == [60]


@pytest.mark.django_db
def test_a_number_is_corrected_before_signing_with_the_reason_in_the_audit_log(officer):
    meeting = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1475)
    ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1456)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        ms.invitation_correct_number(meeting=meeting, user=officer, number=1456, reason="salah ketik")
    with pytest.raises(ValidationError, match="alasan"):
        ms.invitation_correct_number(meeting=meeting, user=officer, number=1457, reason="  ")
    corrected = ms.invitation_correct_number(meeting=meeting, user=officer, number=1457, reason="salah ketik")
    assert corrected.letter_reference == "000.8.3.2/1457/DPMPTSP-SEKR/2024"
    [entry] = _audit(meeting, "letter_number_corrected")
    assert entry.summary == (
        "Nomor surat dikoreksi dari 000.8.3.2/1475/DPMPTSP-SEKR/2024 menjadi "
        "000.8.3.2/1457/DPMPTSP-SEKR/2024. Alasan: salah ketik"
    )
    assert entry.actor == officer
    # The old number is free again for another letter.
    assert ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1475).letter_number == 1475


def _sign_annual_report(year):
    from django.utils import timezone

    from reports.models import Report, SignedVersion

    report = Report.objects.create(title="Laporan", year=year, document_date=dt.date(year, 11, 24))
    SignedVersion.objects.create(
        report=report,
        number=1,
        verification_code="kode-nomor",
        file="reports/uji.pdf",
        sha256="0" * 64,
        size=1,
        title="Laporan",
        signer_name="Kepala",
        signer_title="Kepala Dinas",
        signed_at=timezone.now(),
        certificate_subject="CN=Uji",
        certificate_issuer="CN=Uji",
        certificate_sha256="0" * 64,
        certificate_pem="",
    )


@pytest.mark.django_db
def test_once_signed_the_number_and_codes_are_final(officer):
    meeting = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1457)
    _sign_annual_report(2024)  # its appendix reproduces the year's invitations
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        ms.invitation_correct_number(meeting=meeting, user=officer, number=1458, reason="salah")
    with pytest.raises(ValidationError, match="sudah ditandatangani"):
        ms.meeting_update(meeting=meeting, user=officer, unit_code="DPMPTSP-IV")
    ms.meeting_update(meeting=meeting, user=officer, place="Aula Lantai 2")  # other fields stay editable
    meeting.refresh_from_db()
    assert (meeting.letter_number, meeting.unit_code, meeting.place) == (1457, "DPMPTSP-SEKR", "Aula Lantai 2")


@pytest.mark.django_db
def test_agenda_number_and_correction_over_http(client_as, officer):
    from django.urls import reverse

    from skm_portal.roles import Role

    client = client_as(Role.PETUGAS_SKM)
    taken = ms.invitation_assign_number(meeting=make_fkp(officer), user=officer, number=1457)
    meeting = make_fkp(officer)
    url = reverse("followup:letter_number", kwargs={"meeting": meeting.pk})
    page = client.get(reverse("followup:meeting", kwargs={"meeting": meeting.pk}))
    assert 'name="nomor-number"' in page.content.decode()
    refused = client.post(url, {"nomor-source": "agenda", "nomor-number": "1457"})
    assert refused.status_code == 400
    assert "sudah dipakai surat lain (Forum Konsultasi Publik" in refused.content.decode()
    missing = client.post(url, {"nomor-source": "agenda", "nomor-number": ""})
    assert "Ketik nomor yang diberikan buku agenda." in missing.content.decode()
    assert client.post(url, {"nomor-source": "agenda", "nomor-number": "1475"}).status_code == 302
    correct = reverse("followup:letter_number_correct", kwargs={"meeting": meeting.pk})
    response = client.post(correct, {"koreksi-number": "1493", "koreksi-reason": "salah ketik"}, follow=True)
    assert "Nomor surat dikoreksi menjadi 000.8.3.2/1493/DPMPTSP-SEKR/2024." in response.content.decode()
    meeting.refresh_from_db()
    taken.refresh_from_db()
    assert (meeting.letter_number, taken.letter_number) == (1493, 1457)


@pytest.mark.django_db
def test_numbering_settings_page(client_as, officer):
    from django.urls import reverse

    from followup.models import LetterNumberRange
    from skm_portal.roles import Role

    url = reverse("followup:letter_numbering")
    assert client_as(Role.KEPALA_DINAS).get(url).status_code == 403
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(url, {"tahun": "2024", "aksi": "awal", "awal-first_number": "1401"})
    assert response.status_code == 302
    response = client.post(url, {"tahun": "2024", "aksi": "rentang", "rentang-first": "1500", "rentang-last": "1509"})
    assert response.status_code == 302
    bad = client.post(url, {"tahun": "2024", "aksi": "rentang", "rentang-first": "1505", "rentang-last": "1520"})
    assert bad.status_code == 400
    assert "bertumpang tindih" in bad.content.decode()
    page = client.get(url + "?tahun=2024").content.decode()
    assert "1500–1509" in page
    assert "Nomor pertama surat tahun 2024 menjadi 1401." in page
    assert LetterCounter.objects.get(year=2024).first_number == 1401
    assert LetterNumberRange.objects.get().next_number == 1500
    meeting = make_fkp(officer)
    form_page = client.get(reverse("followup:meeting", kwargs={"meeting": meeting.pk})).content.decode()
    assert "1500–1509 (berikutnya 1500, sisa 10)" in form_page
    client.post(
        reverse("followup:letter_number", kwargs={"meeting": meeting.pk}),
        {"nomor-source": "rentang", "nomor-number_range": str(LetterNumberRange.objects.get().pk)},
    )
    meeting.refresh_from_db()
    assert (meeting.letter_number, meeting.letter_number_source) == (1500, "rentang")


def _parallel(workers, request):
    """Run request(i) in `workers` threads released together; return their results."""
    barrier = threading.Barrier(workers)
    results, errors = [None] * workers, []

    def run(i):
        try:
            barrier.wait()
            results[i] = request(i)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_officers_typing_the_same_agenda_number_get_it_once(officer, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are tested on PostgreSQL")
    from django.test import Client
    from django.urls import reverse

    from skm_portal.roles import Role

    workers = 8
    meetings = [make_fkp(officer, title=f"Rapat {i}") for i in range(workers)]
    kabid = make_user(Role.KABID, username="kabid_agenda")

    def post(i):
        client = Client()
        client.force_login(kabid)
        url = reverse("followup:letter_number", kwargs={"meeting": meetings[i].pk})
        return client.post(url, {"nomor-source": "agenda", "nomor-number": "1493"}).status_code

    statuses = _parallel(workers, post)
    assert sorted(statuses) == [302] + [400] * (workers - 1)
    assert Meeting.objects.filter(letter_number=1493).count() == 1
    assert Meeting.objects.filter(letter_number__isnull=True).count() == workers - 1


@pytest.mark.django_db(transaction=True)
def test_parallel_typed_app_and_range_numbers_never_collide(officer):
    """Twelve numberings at once: four typed from the book (two inside the reserved range),
    four drawn from the range, four from the app. Whoever comes second to a number is
    refused (only a typed number can be refused); no number is ever given twice."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are tested on PostgreSQL")
    from followup.meetings.letter_numbers import letter_range_create

    number_range = letter_range_create(user=officer, year=2024, first=10, last=19)
    workers = 12
    meetings = [make_fkp(officer, title=f"Rapat {i}") for i in range(workers)]
    typed = {0: 1, 3: 2, 6: 10, 9: 11}

    def number(i):
        if i in typed:
            arguments = {"number": typed[i]}
        elif i % 3 == 1:
            arguments = {"number_range": number_range}
        else:
            arguments = {}
        try:
            return ms.invitation_assign_number(meeting=meetings[i], user=officer, **arguments).letter_number
        except ValidationError as error:
            return " ".join(error.messages)

    results = _parallel(workers, number)
    given = [r for r in results if isinstance(r, int)]
    refused = {i: r for i, r in enumerate(results) if not isinstance(r, int)}
    assert len(given) == len(set(given))
    assert set(refused) <= set(typed)
    assert all("sudah dipakai" in message for message in refused.values())
    assert all(10 <= results[i] <= 19 for i in range(1, workers, 3))
    assert all(not 10 <= results[i] <= 19 for i in range(2, workers, 3))
    assert sorted(Meeting.objects.exclude(letter_number=None).values_list("letter_number", flat=True)) == sorted(given)
