"""The one permission policy: role table, object rules the apps register, view guards."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from skm_portal import permissions
from skm_portal.permissions import get_object_or_403, has_permission, permission_required, register_object_rule
from skm_portal.roles import Role

pytestmark = pytest.mark.django_db


@dataclass
class Note:
    """A stand-in object owned by one user (the shell must not need an app's model)."""

    owner_id: int


class SpecialNote(Note):
    pass


@pytest.fixture
def note_rule():
    register_object_rule("reports.view", Note, lambda user, obj: obj.owner_id == user.pk)
    yield
    permissions._OBJECT_RULES.pop(("reports.view", Note))


def test_unknown_actions_are_refused_loudly(make_user):
    with pytest.raises(ValueError, match="Unknown action"):
        has_permission(make_user(Role.ADMINISTRATOR), "reports.fly")
    with pytest.raises(ValueError, match="Unknown action"):
        register_object_rule("reports.fly", Note, lambda user, obj: True)


def test_the_role_comes_first_then_the_object_rule(make_user, note_rule):
    officer = make_user(Role.PETUGAS_SKM, username="petugas")
    other = make_user(Role.PETUGAS_SKM, username="petugas_lain")
    applicant = make_user(Role.PEMOHON, username="pemohon")
    mine = Note(owner_id=officer.pk)
    assert has_permission(officer, "reports.view") is True
    assert has_permission(officer, "reports.view", mine) is True
    assert has_permission(other, "reports.view", mine) is False
    # The role table refuses before any object rule is asked: owning the object is not enough.
    assert has_permission(applicant, "reports.view", Note(owner_id=applicant.pk)) is False
    # A subclass follows its base class's rule.
    assert has_permission(other, "reports.view", SpecialNote(owner_id=officer.pk)) is False
    # An object of a model without a rule is governed by the role alone.
    assert has_permission(other, "reports.view", object()) is True


def test_get_object_or_403_and_its_concealing_form(make_user, note_rule, monkeypatch):
    officer = make_user(Role.PETUGAS_SKM, username="petugas")
    other = make_user(Role.PETUGAS_SKM, username="petugas_lain")
    note = Note(owner_id=officer.pk)
    monkeypatch.setattr(permissions, "get_object_or_404", lambda queryset, **lookup: note)
    assert get_object_or_403(officer, "reports.view", None, pk=1) is note
    with pytest.raises(PermissionDenied):
        get_object_or_403(other, "reports.view", None, pk=1)
    with pytest.raises(Http404):
        get_object_or_403(other, "reports.view", None, pk=1, conceal=True)


def test_the_decorator_checks_the_object_and_hands_it_to_the_view(make_user, note_rule):
    officer = make_user(Role.PETUGAS_SKM, username="petugas")
    other = make_user(Role.PETUGAS_SKM, username="petugas_lain")
    notes = {1: Note(owner_id=officer.pk)}

    @permission_required("reports.view", obj=lambda request, pk: notes[pk])
    def view(request, pk):
        return HttpResponse(str(request.permitted_object.owner_id))

    request = RequestFactory().get("/")
    request.user = officer
    assert view(request, pk=1).content == str(officer.pk).encode()
    request.user = other
    with pytest.raises(PermissionDenied):
        view(request, pk=1)
    assert view.skm_permission == "reports.view"


def test_the_decorator_without_object_keeps_its_old_form(make_user):
    @permission_required("portal.audit")
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/riwayat/")
    request.user = make_user(Role.KEPALA_DINAS)
    assert view(request).status_code == 200
    request.user = make_user(Role.PETUGAS_SKM, username="petugas")
    with pytest.raises(PermissionDenied):
        view(request)
