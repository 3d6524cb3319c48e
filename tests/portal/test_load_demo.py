import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from skm_portal.demo import USERS, demo_password
from skm_portal.models import OfficeProfile
from skm_portal.nip import format_nip
from skm_portal.permissions import user_roles
from surveys.models import Period, PublishedElementResult, Response, Service


def counts():
    return (
        Service.objects.count(),
        Period.objects.count(),
        PublishedElementResult.objects.count(),
        Response.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_is_idempotent(settings, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    certificate = settings.REPORT_SIGNING_P12
    made = certificate.read_bytes()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert first[3] > 200  # a few hundred generated 2025 responses
    # Its signing certificate is made once, in this test's folder (tests/conftest.py), never
    # in the working tree's private/ (the default).
    assert certificate.is_relative_to(tmp_path) and certificate.read_bytes() == made


@pytest.mark.django_db
def test_demo_office_and_logins():
    call_command("load_demo", stdout=io.StringIO())
    office = OfficeProfile.get()
    assert format_nip(office.head_nip) == "19680215 198903 1 008"
    assert office.head_rank == "Pembina Utama Muda"
    for username, role, _name in USERS:
        user = authenticate(username=username, password=demo_password(username))
        assert user is not None, username
        assert role in user_roles(user)
