"""skm_portal.formviews.submit: one shape for every view that posts a form to a service."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from skm_portal.formviews import submit
from skm_portal.refusals import Refused


class NoteForm(forms.Form):
    note = forms.CharField()
    number = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _run(action, data=None):
    request = _request()
    form = NoteForm(data or {"note": "isi"})
    done = submit(request, form, action, success="Tersimpan.", then=lambda result: HttpResponse(result))
    return done, form, [str(m) for m in request._messages]


def test_success_flashes_and_goes_on_with_the_result():
    done, _form, flashed = _run(lambda data: f"ok:{data['note']}")
    assert done.content == b"ok:isi"
    assert flashed == ["Tersimpan."]


def test_invalid_form_never_calls_the_service():
    called = []
    done, form, flashed = _run(lambda data: called.append(data), data={"note": ""})
    assert done is None and called == [] and flashed == []
    assert "note" in form.errors


def test_validation_error_lands_on_its_field_or_on_the_form():
    def refuse(data):
        raise ValidationError({"number": "Nomor salah.", "elsewhere": "Lain."})

    done, form, flashed = _run(refuse)
    assert done is None and flashed == []
    assert form.errors["number"] == ["Nomor salah."]
    assert form.non_field_errors() == ["Lain."]


@pytest.mark.parametrize("code", [Refused.INVALID, Refused.STALE])
def test_a_refusal_becomes_a_form_error_on_the_field_it_names(code):
    def refuse(data):
        raise Refused("Berkas sudah diproses petugas lain.", code=code, field="number")

    done, form, flashed = _run(refuse)
    assert done is None and flashed == []
    assert form.errors["number"] == ["Berkas sudah diproses petugas lain."]

    def refuse_unnamed(data):
        raise Refused("Tulis catatan.", code=code)

    done, form, _ = _run(refuse_unnamed)
    assert done is None and form.non_field_errors() == ["Tulis catatan."]


def test_a_forbidden_refusal_is_a_403_not_a_form_error():
    def refuse(data):
        raise Refused("Bukan berkas Anda.", code=Refused.FORBIDDEN)

    with pytest.raises(PermissionDenied, match="Bukan berkas Anda"):
        _run(refuse)
