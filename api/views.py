"""The administrator's page of API client systems: issue a key (shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from skm_portal.formviews import apply_errors, error_messages
from skm_portal.permissions import permission_required

from . import keys
from .forms import ApiClientForm
from .models import ApiClient

PER_PAGE = 25


@permission_required(keys.MANAGE)
@require_http_methods(["GET", "POST"])
def client_list(request):
    """The client systems, newest first; a new one gets its key on this page, once.

    Posting does not redirect: the key must reach the administrator's screen exactly once
    and is never stored, so it is rendered into this response (not a flash message that
    would sit in the session).
    """
    form = ApiClientForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            client, key = keys.api_client_create(
                name=form.cleaned_data["name"], description=form.cleaned_data["description"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            issued = {"client": client, "key": key}
            form = ApiClientForm()
    page = Paginator(keys.client_list(), PER_PAGE).get_page(request.GET.get("halaman"))
    response = render(request, "api/client_list.html", {"form": form, "page": page, "issued": issued})
    if issued:
        response["Cache-Control"] = "no-store"
    return response


@permission_required(keys.MANAGE)
@require_POST
def client_revoke(request, pk: int):
    client = get_object_or_404(ApiClient, pk=pk)
    try:
        keys.api_client_revoke(client=client, actor=request.user)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("Kunci API %(name)s dicabut; panggilan dengan kunci itu ditolak.") % {"name": client.name}
        )
    return redirect("api_clients")
