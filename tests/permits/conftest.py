"""Permit fixtures: agencies, permit types with documents, users per role, a walker."""

import datetime as dt

import pytest

from permits.models import Agency, AgencyMembership, PermitType, RequiredDocument
from permits.services import permit_apply, permit_transition
from permits.workflow import Step
from skm_portal.roles import Role
from surveys.models import Service

from .helpers import NEXT, documents_for


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Mail goes through a task (skm_portal.mail); here it runs when the transaction commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://skm.example.go.id"


@pytest.fixture
def survey_service(db):
    return Service.objects.create(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="Badan Pertanahan", short_name="BPN")


@pytest.fixture
def other_agency(db):
    return Agency.objects.create(name="Dinas Energi dan Sumber Daya Mineral", short_name="ESDM")


@pytest.fixture
def water_permit(agency, survey_service):
    kind = PermitType.objects.create(
        name="Izin Pengambilan dan Pemanfaatan Air Tanah",
        code="air-tanah",
        service_days=10,
        agency=agency,
        survey_service=survey_service,
    )
    RequiredDocument.objects.create(permit_type=kind, name="KTP Pemohon", order=1)
    RequiredDocument.objects.create(permit_type=kind, name="Peta Lokasi Sumur", order=2)
    RequiredDocument.objects.create(permit_type=kind, name="Foto Lokasi", order=3, is_mandatory=False)
    return kind


@pytest.fixture
def simple_permit(survey_service):
    kind = PermitType.objects.create(
        name="Izin Penyelenggaraan Reklame", code="reklame", service_days=3, survey_service=survey_service
    )
    RequiredDocument.objects.create(permit_type=kind, name="KTP Pemohon", order=1)
    return kind


@pytest.fixture
def people(make_user, agency, other_agency):
    """One user per role; the dinas teknis users belong to different agencies."""
    users = {role: make_user(role, username=role.value) for role in Role}
    users[Role.PEMOHON].email = "pemohon@example.com"
    users[Role.PEMOHON].first_name = "Test"
    users[Role.PEMOHON].last_name = "Dev"
    users[Role.PEMOHON].save()
    users["other_pemohon"] = make_user(Role.PEMOHON, username="pemohon_lain")
    users["other_agency"] = make_user(Role.DINAS_TEKNIS, username="dinas_lain")
    AgencyMembership.objects.create(user=users[Role.DINAS_TEKNIS], agency=agency)
    AgencyMembership.objects.create(user=users["other_agency"], agency=other_agency)
    return users


@pytest.fixture
def apply(people):
    def submit(kind, *, applicant=None, now=None, **extra):
        return permit_apply(
            applicant=applicant or people[Role.PEMOHON],
            permit_type=kind,
            documents=documents_for(kind),
            declaration=True,
            now=now,
            **extra,
        )

    return submit


@pytest.fixture
def advance(people):
    """advance(permit, Step.X): walk a file with a dinas teknis along the ordinary path."""

    def walk(permit, until, *, start=None, step_hours=1):
        moment = start
        while permit.step != until:
            action, role = NEXT[Step(permit.step)]
            if moment is not None:
                moment += dt.timedelta(hours=step_hours)
            permit = permit_transition(permit=permit, action=action, actor=people[role], now=moment, notify=False)
        return permit

    return walk
