"""Permit fixtures: agencies, permit types with documents, users per role, a walker."""

import datetime as dt

import pytest

from permits.services import permit_apply, permit_transition
from permits.workflow import Step
from skm_portal.roles import Role
from tests.factories import AgencyFactory, AgencyMembershipFactory, PermitTypeFactory, ServiceFactory

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
    return ServiceFactory(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Badan Pertanahan", short_name="BPN")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Dinas Energi dan Sumber Daya Mineral", short_name="ESDM")


@pytest.fixture
def water_permit(agency, survey_service):
    return PermitTypeFactory(
        name="Izin Pengambilan dan Pemanfaatan Air Tanah",
        code="air-tanah",
        service_days=10,
        agency=agency,
        survey_service=survey_service,
        documents=["KTP Pemohon", "Peta Lokasi Sumur", ("Foto Lokasi", False)],
    )


@pytest.fixture
def simple_permit(survey_service):
    return PermitTypeFactory(
        name="Izin Penyelenggaraan Reklame", code="reklame", service_days=3, survey_service=survey_service
    )


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
    AgencyMembershipFactory(user=users[Role.DINAS_TEKNIS], agency=agency)
    AgencyMembershipFactory(user=users["other_agency"], agency=other_agency)
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
