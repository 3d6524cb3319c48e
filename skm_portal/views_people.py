"""The administrator's people pages and everyone's forgotten-password pages.

Thin views: check the permission, bind a form, call a `people` service or selector, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import people
from .forms_people import ForgottenPasswordForm, PeopleFilterForm, PersonForm
from .formviews import submit
from .permissions import permission_required

MANAGE = people.MANAGE_PEOPLE
PER_PAGE = 25


def _person(pk: int):
    return get_object_or_404(get_user_model(), pk=pk)


@permission_required(MANAGE)
def people_list(request):
    filters = PeopleFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    queryset = people.user_list(search=data.get("q", ""), role=data.get("peran", ""), status=data.get("status", ""))
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("halaman"))
    rows = [(p, people.person_roles(p), people.person_extra_texts(p)) for p in page.object_list]
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "portal/people/list.html",
        {"filters": filters, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _person_fields(data: dict) -> dict:
    """The form's values that the people services take (the apps' extra fields included)."""
    return {name: value for name, value in data.items() if name not in {"username", "send_link"}}


@permission_required(MANAGE)
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST":

        def created_text(person) -> str:
            text = _("Pengguna %(username)s dibuat.") % {"username": person.username}
            if form.cleaned_data["send_link"]:
                text += " " + _("Tautan untuk mengatur sandi dikirim ke %(email)s.") % {"email": person.email}
            return text

        done = submit(
            request,
            form,
            lambda data: people.user_create(
                actor=request.user, username=data["username"], send_link=data["send_link"], **_person_fields(data)
            ),
            success=created_text,
            then=lambda person: redirect("person_edit", person=person.pk),
        )
        if done:
            return done
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/people/form.html", {"form": form, "person": None}, status=status)


@permission_required(MANAGE)
def person_edit(request, person: int):
    obj = _person(person)
    initial = {
        "full_name": obj.get_full_name(),
        "email": obj.email,
        "roles": people._roles_of(obj),
        **people.person_extras(obj),
    }
    form = PersonForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: people.user_update(actor=request.user, user=obj, **_person_fields(data)),
            success=_("Data pengguna %(username)s disimpan.") % {"username": obj.username},
            then=lambda result: redirect("person_edit", person=obj.pk),
        )
        if done:
            return done
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": obj, "audit": people.person_audit(obj)}
    return render(request, "portal/people/form.html", context, status=status)


@permission_required(MANAGE)
@require_POST
def person_active(request, person: int):
    obj = _person(person)
    active = request.POST.get("aktif") == "1"
    try:
        people.user_set_active(actor=request.user, user=obj, active=active)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        text = _("Akun %(username)s diaktifkan.") if active else _("Akun %(username)s dinonaktifkan.")
        messages.success(request, text % {"username": obj.username})
    return redirect("person_edit", person=obj.pk)


@permission_required(MANAGE)
@require_POST
def person_password_link(request, person: int):
    obj = _person(person)
    try:
        people.user_send_password_reset(actor=request.user, user=obj)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Tautan untuk mengatur sandi dikirim ke %(email)s.") % {"email": obj.email})
    return redirect("person_edit", person=obj.pk)


# --- forgotten password (anyone) -------------------------------------------------------------


class ForgottenPasswordView(auth_views.PasswordResetView):
    form_class = ForgottenPasswordForm
    success_url = reverse_lazy("password_reset_done")


class NewPasswordView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the mailbox is no longer locked out by earlier wrong passwords.
        from axes.utils import reset as axes_reset

        axes_reset(username=form.user.get_username())
        return response
