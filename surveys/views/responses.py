"""Jawaban dan saran: the officers' list of single responses and their suggestions."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from skm_portal.listing import export_format, listing_export, listing_page
from skm_portal.permissions import has_permission, permission_required

from .. import selectors
from ..forms_lists import ResponseFilterForm
from ..models import Response


def _export_row(response: Response) -> list[object]:
    return [
        response.survey_date,
        response.service.name,
        response.get_sex_display(),
        response.age,
        response.education,
        response.get_occupation_display() if response.occupation else "",
        response.occupation_other,
        response.suggestion,
        response.get_channel_display(),
    ]


@permission_required("surveys.view_results")
@require_GET
def response_list(request):
    """Search, filter, sort and page the responses; export (if allowed) exactly the filtered list."""
    form = ResponseFilterForm(request.GET)
    responses = selectors.response_list()
    may_export = has_permission(request.user, "surveys.export")
    fmt = export_format(request, form)
    if fmt and may_export:
        header = [_("Tanggal"), _("Layanan"), _("Jenis kelamin"), _("Usia"), _("Pendidikan"), _("Pekerjaan"),
                  _("Pekerjaan lainnya"), _("Saran"), _("Sumber")]  # fmt: skip
        return listing_export(
            queryset=responses,
            form=form,
            fmt=fmt,
            title=_("Jawaban dan saran"),
            header=header,
            row=_export_row,
            filename="jawaban-saran",
        )
    listing = listing_page(request, responses, form)
    return render(request, "surveys/results/responses.html", {"listing": listing, "may_export": may_export})
