"""The counter kiosk: pairing, answers that count once, the stuffing guards, the officers' pages."""

import datetime as dt
import json
import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from skm_portal.audit import ACTION_LABELS
from skm_portal.models import AuditEntry
from skm_portal.roles import Role
from surveys import kiosk
from surveys.kiosk_models import Counter, KioskDevice, KioskUnlock
from surveys.kiosk_submit import kiosk_start_token
from surveys.models import Questionnaire, Response, Service
from surveys.services import response_submit

START = dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC)  # 09.00 WITA


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(db):
    return Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


@pytest.fixture
def counter(service):
    return kiosk.counter_save(actor=None, name="Loket 1", service=service, min_seconds=20)


def answers(**overrides):
    data = {f"answer_{e.code.lower()}": "3" for e in Questionnaire.active().elements.all()}
    return data | {"sex": "P", "age": "41", "education": "D4/S1", "occupation": "PNS", "suggestion": ""} | overrides


def paired_tablet(counter) -> Client:
    device = kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
    tablet = Client()
    page = tablet.post(reverse("surveys:kiosk_pair"), {"code": device.pairing_code.lower()})
    assert page.status_code == 302
    return tablet


def post_json(client, name, body):
    return client.post(reverse(f"surveys:{name}"), json.dumps(body), content_type="application/json")


def start(tablet, client_id, ticket=""):
    page = post_json(tablet, "kiosk_start", {"client_id": str(client_id), "ticket": ticket})
    assert page.status_code == 200, page.content
    return page.json()["token"]


def send(tablet, client_id, token, duration_ms=25_000, **extra):
    body = {"client_id": str(client_id), "start_token": token, "duration_ms": duration_ms, "answers": answers()}
    return post_json(tablet, "kiosk_send", body | extra)


def answer_once(tablet, ticket="", wait=25):
    """Open the form, wait `wait` seconds, send: the HTTP path a real tablet takes."""
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:
        token = start(tablet, client_id, ticket)
        clock.tick(dt.timedelta(seconds=wait))
        return client_id, send(tablet, client_id, token, duration_ms=wait * 1000, ticket=ticket)


# --- pairing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_pairs_a_tablet_by_a_one_time_code_and_the_tablet_needs_no_login(client_as, counter):
    officer = client_as(Role.PETUGAS_SKM)
    page = officer.post(reverse("surveys:kiosk_counter_pair", args=[counter.pk]), follow=True)
    device = KioskDevice.objects.get(counter=counter)
    assert len(device.pairing_code) == 8
    assert device.pairing_code in page.content.decode()
    assert AuditEntry.objects.filter(action="kiosk_code_created", object_id=str(device.pk)).exists()

    tablet = Client()
    assert b"Pasangkan kiosk" in tablet.get(reverse("surveys:kiosk_home")).content
    paired = tablet.post(reverse("surveys:kiosk_pair"), {"code": " " + device.pairing_code.lower() + " "})
    assert paired.status_code == 302
    cookie = paired.cookies["skm_kiosk"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/kiosk/"
    home = tablet.get(reverse("surveys:kiosk_home")).content.decode()
    assert "Loket 1" in home and "Perizinan dan Non Perizinan (e-PTSP)" in home
    device.refresh_from_db()
    assert device.is_paired and device.pairing_code == ""
    assert cookie.value not in device.key_hash  # only the hash is stored
    assert AuditEntry.objects.filter(action="kiosk_paired", object_id=str(device.pk)).exists()

    # The code worked once: a second tablet typing it is refused and gets no key.
    other = Client()
    again = other.post(reverse("surveys:kiosk_pair"), {"code": device.pairing_code or "XXXXXXXX"})
    assert again.status_code == 400 and "skm_kiosk" not in again.cookies


@pytest.mark.django_db
def test_an_expired_or_replaced_code_pairs_nothing(counter, settings):
    settings.SKM_KIOSK_CODE_MINUTES = 15
    with freeze_time(START) as clock:
        first = kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
        second = kiosk.kiosk_pairing_code_create(counter=counter, actor=None)
        replaced = Client().post(reverse("surveys:kiosk_pair"), {"code": first.pairing_code})
        assert replaced.status_code == 400
        assert "kedaluwarsa" in replaced.content.decode()
        clock.tick(dt.timedelta(minutes=16))
        assert Client().post(reverse("surveys:kiosk_pair"), {"code": second.pairing_code}).status_code == 400
    assert not KioskDevice.objects.filter(paired_at__isnull=False).exists()


@pytest.mark.django_db
def test_unpairing_ends_the_tablets_key_at_once(client_as, counter):
    tablet = paired_tablet(counter)
    device = KioskDevice.objects.get(counter=counter, paired_at__isnull=False)
    assert tablet.get(reverse("surveys:kiosk_state")).json()["paired"] is True
    officer = client_as(Role.ADMINISTRATOR)
    officer.post(reverse("surveys:kiosk_device_unpair", args=[counter.pk, device.pk]))
    assert tablet.get(reverse("surveys:kiosk_state")).status_code == 403
    assert b"Pasangkan kiosk" in tablet.get(reverse("surveys:kiosk_home")).content
    client_id = uuid.uuid4()
    assert post_json(tablet, "kiosk_start", {"client_id": str(client_id)}).status_code == 403
    assert AuditEntry.objects.filter(action="kiosk_unpaired", object_id=str(device.pk)).exists()


@pytest.mark.django_db
def test_wrong_codes_are_limited_per_client(counter, settings):
    settings.SKM_KIOSK_PAIR_RATE_LIMIT = 3
    guesser = Client()
    statuses = [guesser.post(reverse("surveys:kiosk_pair"), {"code": "ABCDEFGH"}).status_code for _i in range(4)]
    assert statuses == [400, 400, 400, 429]


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_is_tagged_kiosk_and_counter_and_a_resend_counts_once(counter):
    tablet = paired_tablet(counter)
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:
        token = start(tablet, client_id)
        clock.tick(dt.timedelta(seconds=25))
        first = send(tablet, client_id, token)
        # The connection dropped before the tablet saw the answer: it sends it again.
        clock.tick(dt.timedelta(minutes=5))
        again = send(tablet, client_id, token)
    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["created"] is False
    response = Response.objects.get()
    assert (response.channel, response.counter, response.service) == ("kiosk", counter, counter.service)
    assert response.client_id == client_id
    assert (response.sex, response.age, response.education) == ("P", 41, "D4/S1")


@pytest.mark.django_db
def test_an_answer_that_waited_offline_keeps_the_day_it_was_given(counter):
    tablet = paired_tablet(counter)
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:  # 10 March, 09.00 WITA
        token = start(tablet, client_id)
        answered = START + dt.timedelta(minutes=2)
        clock.tick(dt.timedelta(days=1))  # the network came back the next day
        page = send(tablet, client_id, token, answered_at=int(answered.timestamp() * 1000))
    assert page.status_code == 201
    assert Response.objects.get().survey_date == dt.date(2025, 3, 10)


@pytest.mark.django_db
def test_a_form_filled_faster_than_the_minimum_is_refused_by_either_clock(counter):
    tablet = paired_tablet(counter)  # minimum 20 seconds
    client_id, fast_device = answer_once(tablet, wait=10)
    assert fast_device.status_code == 422
    assert "terlalu cepat" in fast_device.json()["error"]
    # A script that claims a long fill but sends at once is refused by the server's clock.
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:
        token = start(tablet, client_id)
        clock.tick(dt.timedelta(seconds=3))
        lying = send(tablet, client_id, token, duration_ms=60_000)
    assert lying.status_code == 422 and "paling singkat 20 detik" in lying.json()["error"]
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_a_start_token_works_only_for_its_own_answer_and_device(counter, service):
    tablet = paired_tablet(counter)
    other_counter = kiosk.counter_save(actor=None, name="Loket 2", service=service, min_seconds=0)
    other_tablet = paired_tablet(other_counter)
    with freeze_time(START) as clock:
        mine = uuid.uuid4()
        token = start(tablet, mine)
        clock.tick(dt.timedelta(seconds=30))
        assert send(tablet, uuid.uuid4(), token).status_code == 422  # another answer id
        assert send(other_tablet, mine, token).status_code == 422  # another tablet
        assert send(tablet, mine, token[:-2] + "xx").status_code == 422  # forged
        assert send(tablet, mine, "").status_code == 422
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_invalid_answers_are_refused_in_indonesian_and_store_nothing(counter):
    tablet = paired_tablet(counter)
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:
        token = start(tablet, client_id)
        clock.tick(dt.timedelta(seconds=30))
        bad = answers(answer_u1="7")
        del bad["sex"]
        page = post_json(
            tablet,
            "kiosk_send",
            {"client_id": str(client_id), "start_token": token, "duration_ms": 30_000, "answers": bad},
        )
        not_json = tablet.post(reverse("surveys:kiosk_send"), {"client_id": str(client_id)})
    assert page.status_code == 422
    assert "Pilih salah satu jawaban untuk pertanyaan 1." in page.json()["messages"]
    assert any("Jenis kelamin" in message for message in page.json()["messages"])
    assert not_json.status_code == 422 and "JSON" in not_json.json()["error"]
    assert Response.objects.count() == 0


# --- unlocking ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_officer_unlock_each_answer_needs_one_press_of_the_button(client_as, counter):
    kiosk.counter_save(actor=None, counter=counter, unlock_mode=Counter.Unlock.OFFICER)
    tablet = paired_tablet(counter)
    assert tablet.get(reverse("surveys:kiosk_state")).json()["unlocked"] is False
    _id, locked = answer_once(tablet)
    assert locked.status_code == 422 and "dibuka petugas" in locked.json()["error"]

    officer = client_as(Role.BACKOFFICE)  # the counter officer: surveys.kiosk, not surveys.manage
    officer.post(reverse("surveys:kiosk_counter_unlock", args=[counter.pk]))
    officer.post(reverse("surveys:kiosk_counter_unlock", args=[counter.pk]))  # twice: still one respondent
    assert KioskUnlock.objects.filter(counter=counter).count() == 1
    assert tablet.get(reverse("surveys:kiosk_state")).json()["unlocked"] is True
    _id, opened = answer_once(tablet)
    assert opened.status_code == 201
    _id, next_one = answer_once(tablet)
    assert next_one.status_code == 422
    assert Response.objects.count() == 1
    assert KioskUnlock.objects.get().response == Response.objects.get()
    assert AuditEntry.objects.filter(action="kiosk_unlocked").count() == 1


@pytest.mark.django_db
def test_with_queue_tickets_each_ticket_works_once_a_day(counter):
    kiosk.counter_save(actor=None, counter=counter, unlock_mode=Counter.Unlock.TICKET)
    tablet = paired_tablet(counter)
    _id, no_ticket = answer_once(tablet)
    assert no_ticket.status_code == 422 and "nomor antrean" in no_ticket.json()["error"]
    _id, first = answer_once(tablet, ticket="a-023")
    assert first.status_code == 201
    with freeze_time(START):
        used = post_json(tablet, "kiosk_start", {"client_id": str(uuid.uuid4()), "ticket": "A-023"})
    assert used.status_code == 409
    # A tablet that was offline at the start could not ask; the answer itself is refused.
    client_id = uuid.uuid4()
    with freeze_time(START) as clock:
        token = start(tablet, client_id)
        clock.tick(dt.timedelta(seconds=30))
        again = send(tablet, client_id, token, ticket="A-023")
    assert again.status_code == 422 and "sudah dipakai" in again.json()["error"]
    assert Response.objects.count() == 1
    assert KioskUnlock.objects.get().ticket == "A-023"


# --- limits and pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rate_limit_counts_per_tablet_not_per_office_address(counter, service, settings):
    settings.SKM_KIOSK_RATE_LIMIT = 2
    settings.SKM_RATE_LIMIT = 1  # the public form's per-address bucket plays no part
    kiosk.counter_save(actor=None, counter=counter, min_seconds=0)
    tablet = paired_tablet(counter)
    statuses = [answer_once(tablet, wait=1)[1].status_code for _i in range(2)]
    assert statuses == [201, 201]
    # A third answer: no start token either (tokens cannot be hoarded), and no room to store.
    client_id = uuid.uuid4()
    with freeze_time(START):
        assert post_json(tablet, "kiosk_start", {"client_id": str(client_id)}).status_code == 429
        token = kiosk_start_token(device=KioskDevice.objects.get(counter=counter), client_id=client_id)
        assert send(tablet, client_id, token).status_code == 429
    other = paired_tablet(kiosk.counter_save(actor=None, name="Loket 2", service=service, min_seconds=0))
    assert answer_once(other, wait=1)[1].status_code == 201
    assert Response.objects.count() == 3


@pytest.mark.django_db
def test_counter_pages_create_and_change_with_the_audit_log(client_as, service):
    officer = client_as(Role.PETUGAS_SKM)
    form = {"name": "Loket 3", "service": service.pk, "layout": "all", "idle_seconds": "60"}
    form |= {"min_seconds": "30", "unlock_mode": "ticket", "is_active": "on"}
    page = officer.post(reverse("surveys:kiosk_counters"), form)
    counter = Counter.objects.get(name="Loket 3")
    assert page.status_code == 302 and counter.unlock_mode == "ticket" and counter.layout == "all"
    assert AuditEntry.objects.filter(action="created", object_type="surveys.counter").exists()
    bad = officer.post(reverse("surveys:kiosk_counter", args=[counter.pk]), form | {"idle_seconds": "5"})
    assert bad.status_code == 200 and "15" in bad.content.decode()
    counter.refresh_from_db()
    assert counter.idle_seconds == 60
    officer.post(reverse("surveys:kiosk_counter", args=[counter.pk]), form | {"min_seconds": "45"})
    entry = AuditEntry.objects.get(action="updated", object_type="surveys.counter")
    assert list(entry.changes.values()) == [["30", "45"]]


@pytest.mark.django_db
def test_the_counter_officer_sees_the_button_but_cannot_pair_or_configure(client_as, counter):
    officer = client_as(Role.BACKOFFICE)
    page = officer.get(reverse("surveys:kiosk_counter", args=[counter.pk]))
    assert page.status_code == 200 and b"Buat kode pasangan" not in page.content
    assert officer.post(reverse("surveys:kiosk_counter_pair", args=[counter.pk])).status_code == 403
    assert not KioskDevice.objects.exists()


def test_every_kiosk_action_has_an_audit_label():
    for action in ("kiosk_code_created", "kiosk_paired", "kiosk_unpaired", "kiosk_unlocked"):
        assert action in ACTION_LABELS


@pytest.mark.django_db
def test_the_service_worker_keeps_the_kiosk_page_and_its_assets(counter):
    page = Client().get(reverse("surveys:kiosk_sw"))
    body = page.content.decode()
    assert page["Content-Type"].startswith("application/javascript")
    assert 'const PAGE = "/kiosk/"' in body
    assert "js/kiosk.js" in body and "css/kiosk.css" in body


@pytest.mark.django_db(transaction=True)
def test_the_same_answer_sent_twice_at_once_is_stored_once(service):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (DATABASE_URL=postgres://...)")
    counter = kiosk.counter_save(actor=None, name="Loket 1", service=service, min_seconds=0)
    key = paired_tablet(counter).cookies["skm_kiosk"].value
    client_id = uuid.uuid4()
    token = kiosk_start_token(device=KioskDevice.objects.get(counter=counter), client_id=client_id)
    body = {"client_id": str(client_id), "start_token": token, "duration_ms": 1000, "answers": answers()}
    attempts = 4
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def resend():
        try:
            tablet = Client()
            tablet.cookies["skm_kiosk"] = key
            barrier.wait(timeout=10)
            statuses.append(post_json(tablet, "kiosk_send", body).status_code)
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resend) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(statuses) == [200] * (attempts - 1) + [201]
    assert Response.objects.filter(client_id=client_id).count() == 1


@pytest.mark.django_db
def test_the_officers_list_of_responses_cuts_by_channel_and_counter(client_as, counter, service):
    tablet = paired_tablet(counter)
    answer_once(tablet)
    scores = {e.code: 2 for e in Questionnaire.active().elements.all()}
    response_submit(
        questionnaire=Questionnaire.active(), service=service, scores=scores, sex="L", suggestion="Dari web"
    )
    officer = client_as(Role.PETUGAS_SKM)
    by_channel = officer.get(reverse("surveys:response_list"), {"channel": "kiosk"})
    by_counter = officer.get(reverse("surveys:response_list"), {"counter": counter.pk})
    everything = officer.get(reverse("surveys:response_list"))
    assert by_channel.context["listing"].paginator.count == 1
    assert by_counter.context["listing"].paginator.count == 1
    assert everything.context["listing"].paginator.count == 2
    assert "Kiosk loket" in everything.content.decode()
