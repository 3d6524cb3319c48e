"""The permission matrix: roles x actions x files, every refusal a 403 or 404."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from permits.models import Agency, PermitApplication, PermitType, RequiredDocument
from permits.services import permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role
from tests.held_rows import held_per_module, start_from

from .helpers import (
    new_agency,
    new_other_agency,
    new_people,
    new_simple_permit,
    new_survey_service,
    new_water_permit,
    submit,
    walk,
)

R = Role
OFFICE = {R.BACKOFFICE, R.KASI, R.KABID, R.KEPALA_DINAS}
PROCESS = OFFICE | {R.DINAS_TEKNIS}

# Written from the seed, independently of permits.workflow: who may do what.
WHO = {
    Action.VERIFY_REGISTRATION: {R.BACKOFFICE},
    Action.FORWARD_TO_AGENCY: {R.BACKOFFICE},
    Action.FORWARD_TO_BACKOFFICE: {R.BACKOFFICE},
    Action.AGENCY_APPROVE: {R.DINAS_TEKNIS},
    Action.AGENCY_REQUEST_REVISION: {R.DINAS_TEKNIS},
    Action.BACKOFFICE_RETURN: {R.BACKOFFICE},
    Action.BACKOFFICE_COMPLETE: {R.BACKOFFICE},
    Action.KASI_APPROVE: {R.KASI},
    Action.KASI_RETURN: {R.KASI},
    Action.KABID_APPROVE: {R.KABID},
    Action.KABID_RETURN: {R.KABID},
    Action.ISSUE: {R.KEPALA_DINAS},
}
# The actions that make sense at each step of the file fixtures below.
AT = {
    "pendaftaran": [Action.VERIFY_REGISTRATION],
    "verifikasi": [Action.FORWARD_TO_AGENCY],
    "dinas": [Action.AGENCY_APPROVE, Action.AGENCY_REQUEST_REVISION],
    "dinas_lain": [Action.AGENCY_APPROVE],
    "revisi_dinas": [Action.BACKOFFICE_RETURN],
    "backoffice": [Action.BACKOFFICE_COMPLETE],
    "kasi": [Action.KASI_APPROVE, Action.KASI_RETURN],
    "kabid": [Action.KABID_APPROVE, Action.KABID_RETURN],
    "tanpa_dinas": [Action.KASI_APPROVE],
    "penetapan": [Action.ISSUE],
}
# Who sees which file: the applicant only their own, dinas teknis only its agency's.
OWN = {"pendaftaran", "verifikasi", "dinas", "revisi_dinas", "backoffice", "kasi", "kabid", "penetapan"}
OUR_AGENCY_SENT = {"dinas", "revisi_dinas", "backoffice", "kasi", "kabid", "penetapan"}


# The matrix's world (one user per role, permit types, one file at each step) is built once per
# module and held (tests/held_rows.py): every test here starts from it, none changes what the next sees.
_WORLD: dict[str, int] = {}  # file key -> primary key, as the last build left them
SITE = "https://skm.example.go.id"  # as conftest.py


def _build_world() -> None:
    agency, other_agency, survey_service = new_agency(), new_other_agency(), new_survey_service()
    water_permit, simple_permit = new_water_permit(agency, survey_service), new_simple_permit(survey_service)
    people = new_people(agency, other_agency)
    mine = {
        "pendaftaran": Step.VERIFIKASI_PENDAFTARAN,
        "verifikasi": Step.VERIFIKASI_IZIN,
        "dinas": Step.PERTIMBANGAN_DINAS_TEKNIS,
        "backoffice": Step.PROSES_BACKOFFICE,
        "kasi": Step.VALIDASI_KASI,
        "kabid": Step.VALIDASI_KABID,
        "penetapan": Step.PENETAPAN,
    }
    found = {key: walk(people, submit(people, water_permit, notify=False), step) for key, step in mine.items()}
    revised = walk(people, submit(people, water_permit, notify=False), Step.PERTIMBANGAN_DINAS_TEKNIS)
    found["revisi_dinas"] = permit_transition(
        permit=revised, action=Action.AGENCY_REQUEST_REVISION, actor=people[R.DINAS_TEKNIS], note="Tidak sesuai."
    )
    other_type = PermitType.objects.create(
        name="Izin Usaha Pertambangan", code="iup", service_days=14, agency=other_agency, survey_service=survey_service
    )
    RequiredDocument.objects.create(permit_type=other_type, name="KTP")
    theirs = submit(people, other_type, applicant=people["other_pemohon"], notify=False)
    theirs = permit_transition(permit=theirs, action=Action.VERIFY_REGISTRATION, actor=people[R.BACKOFFICE])
    found["dinas_lain"] = permit_transition(permit=theirs, action=Action.FORWARD_TO_AGENCY, actor=people[R.BACKOFFICE])
    plain = submit(people, simple_permit, applicant=people["other_pemohon"], notify=False)
    for action in (Action.VERIFY_REGISTRATION, Action.FORWARD_TO_BACKOFFICE, Action.BACKOFFICE_COMPLETE):
        plain = permit_transition(permit=plain, action=action, actor=people[R.BACKOFFICE])
    found["tanpa_dinas"] = plain
    _WORLD.clear()
    _WORLD.update({key: permit.pk for key, permit in found.items()})


@pytest.fixture(scope="module")
def _permission_world_module(request, django_db_setup, django_db_blocker, tmp_path_factory):
    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # as conftest.py
    yield from held_per_module(
        request, django_db_blocker, tmp_path_factory, "permission_world", _build_world, TASKS=tasks, SITE_URL=SITE
    )


@pytest.fixture
def permission_world(_permission_world_module, db, settings):
    start_from(_permission_world_module, settings, _build_world)


@pytest.fixture
def people(permission_world):
    users = {user.username: user for user in get_user_model().objects.all()}
    found = {role: users[role.value] for role in Role}
    return {**found, "other_pemohon": users["pemohon_lain"], "other_agency": users["dinas_lain"]}


@pytest.fixture
def files(permission_world):
    return {key: PermitApplication.objects.get(pk=pk) for key, pk in _WORLD.items()}


def expected_view(role, key):
    if role is None:
        return 302
    if role not in PROCESS | {R.PEMOHON}:
        return 403
    if role in OFFICE:
        return 200
    if role == R.DINAS_TEKNIS:
        return 200 if key in OUR_AGENCY_SENT else 404
    return 200 if key in OWN else 404


ROLES = [None, *Role]


def login(client, people, role):
    if role is not None:
        client.force_login(people[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonim")
def test_who_sees_which_file(client, people, files, role):
    login(client, people, role)
    for key, permit in files.items():
        status = client.get(reverse("permits:detail", args=[permit.pk])).status_code
        assert status == expected_view(role, key), (role, key)
        document = permit.documents.first()
        status = client.get(reverse("permits:document", args=[document.pk])).status_code
        assert status == expected_view(role, key), ("document", role, key)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonim")
def test_who_may_do_which_action_on_which_file(client, people, files, role):
    login(client, people, role)
    for key, permit in files.items():
        # Every action of the seed on every file: the ones of this step and one foreign.
        for action in [*AT[key], Action.ISSUE if key != "penetapan" else Action.KASI_APPROVE]:
            url = reverse("permits:act", args=[permit.pk])
            with transaction.atomic():
                response = client.post(url, {"action": action.value, "expected_step": permit.step, "note": "Catatan."})
                after = PermitApplication.objects.get(pk=permit.pk).step
                transaction.set_rollback(True)
            if role is None:
                expected = 302
            elif role not in PROCESS:
                expected = 403
            elif expected_view(role, key) == 404:
                expected = 404
            elif role in WHO[action] and action in AT[key]:
                expected = 302
            else:
                expected = 403
            assert response.status_code == expected, (role, key, action)
            moved = after != permit.step
            assert moved == (expected == 302 and role is not None), (role, key, action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonim")
def test_who_may_open_the_revision_form(client, people, files, role):
    mine = permit_transition(
        permit=files["kasi"], action=Action.KASI_RETURN, actor=people[R.KASI], note="Perbaiki NPWP."
    )
    theirs = permit_transition(
        permit=files["tanpa_dinas"], action=Action.KASI_RETURN, actor=people[R.KASI], note="Perbaiki KTP."
    )
    login(client, people, role)
    own_status = client.get(reverse("permits:revision_form", args=[mine.pk])).status_code
    other_status = client.get(reverse("permits:revision_form", args=[theirs.pk])).status_code
    if role is None:
        assert (own_status, other_status) == (302, 302)
    elif role == R.PEMOHON:
        assert (own_status, other_status) == (200, 404)
    else:
        assert (own_status, other_status) == (403, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonim")
def test_screens_per_role(client, people, role):
    login(client, people, role)
    screens = {
        "permits:apply": {R.PEMOHON},
        "permits:revision_list": {R.PEMOHON},
        "permits:queue": PROCESS,
        "permits:monitoring": PROCESS | {R.PEMOHON},
    }
    for name, allowed in screens.items():
        status = client.get(reverse(name)).status_code
        if role is None:
            assert status == 302
        else:
            assert status == (200 if role in allowed else 403), (name, role)


@pytest.mark.django_db
def test_agency_queue_shows_only_its_agency(client, people, files):
    client.force_login(people[R.DINAS_TEKNIS])
    page = client.get(reverse("permits:queue")).content.decode()
    assert files["dinas"].number in page
    assert files["dinas_lain"].number not in page
    assert files["kasi"].number not in page  # not waiting for the agency
    client.force_login(people["other_agency"])
    page = client.get(reverse("permits:queue")).content.decode()
    assert files["dinas_lain"].number in page and files["dinas"].number not in page


@pytest.mark.django_db
def test_applicant_monitoring_lists_only_own_files(client, people, files):
    client.force_login(people["other_pemohon"])
    page = client.get(reverse("permits:monitoring")).content.decode()
    assert files["dinas_lain"].number in page and files["tanpa_dinas"].number in page
    assert all(files[key].number not in page for key in OWN)


@pytest.mark.django_db
def test_dinas_teknis_without_membership_sees_nothing(client, make_user, files):
    Agency.objects.create(name="Dinas Lingkungan Hidup")
    client.force_login(make_user(R.DINAS_TEKNIS, username="tanpa_instansi"))
    assert client.get(reverse("permits:detail", args=[files["dinas"].pk])).status_code == 404
    page = client.get(reverse("permits:monitoring")).content.decode()
    assert all(permit.number not in page for permit in files.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_one_policy_answers_as_the_screens_for_each_file(people, files, role):
    """has_permission(user, "permits.view", file), the list query and the page agree."""
    from permits.rules import visible_permits
    from skm_portal.permissions import has_permission

    user = people[role]
    listed = set(visible_permits(user).values_list("pk", flat=True))
    for key, permit in files.items():
        sees = expected_view(role, key) == 200
        assert has_permission(user, "permits.view", permit) is sees, (role, key)
        assert (permit.pk in listed) is sees, (role, key)
        processes = role in PROCESS and sees
        assert has_permission(user, "permits.process", permit) is processes, (role, key)
        own = role == R.PEMOHON and key in OWN
        assert has_permission(user, "permits.apply", permit) is own, (role, key)


@pytest.mark.django_db
def test_templates_ask_the_same_policy(rf, people, files):
    from django.template import Context, Template

    template = Template('{% load permissions %}{% can "permits.view" permit as may %}{{ may|yesno:"ya,tidak" }}')
    for user, key, expected in [
        (people[R.PEMOHON], "kasi", "ya"),
        (people["other_pemohon"], "kasi", "tidak"),
        (people[R.DINAS_TEKNIS], "dinas", "ya"),
        (people[R.DINAS_TEKNIS], "dinas_lain", "tidak"),
        (people[R.ADMINISTRATOR], "kasi", "tidak"),
    ]:
        request = rf.get("/")
        request.user = user
        assert template.render(Context({"request": request, "permit": files[key]})) == expected, (user, key)
