"""Permit fixtures: agencies, permit types with documents, users per role, a walker."""

import functools

import pytest

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
    return new_survey_service()


@pytest.fixture
def agency(db):
    return new_agency()


@pytest.fixture
def other_agency(db):
    return new_other_agency()


@pytest.fixture
def water_permit(agency, survey_service):
    return new_water_permit(agency, survey_service)


@pytest.fixture
def simple_permit(survey_service):
    return new_simple_permit(survey_service)


@pytest.fixture
def people(db, agency, other_agency):
    """One user per role; the dinas teknis users belong to different agencies."""
    return new_people(agency, other_agency)


@pytest.fixture
def apply(people):
    """apply(kind, applicant=None, now=None, **extra): a file submitted with every required document."""
    return functools.partial(submit, people)


@pytest.fixture
def advance(people):
    """advance(permit, Step.X): walk a file with a dinas teknis along the ordinary path."""
    return functools.partial(walk, people)
