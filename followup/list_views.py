"""Daftar rencana tindak lanjut: every plan's programs/activities in one searchable list."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from skm_portal.listing import export_format, listing_export, listing_page
from skm_portal.permissions import permission_required

from . import selectors
from .forms_lists import ActivityFilterForm
from .models import Activity
from .views import VIEW


def _export_row(activity: Activity) -> list[object]:
    plan = activity.plan
    return [
        plan.period.name,
        f"{plan.element_code} {plan.element_name}",
        activity.title,
        plan.time_frame,
        plan.person_in_charge,
        activity.get_status_display(),
    ]


@permission_required(VIEW)
@require_GET
def plan_list(request):
    """Search, filter, sort and page the plans' activities; export exactly the filtered list."""
    form = ActivityFilterForm(request.GET)
    activities = selectors.activity_list()
    fmt = export_format(request, form)
    if fmt:
        header = [_("Periode"), _("Prioritas unsur"), _("Program/kegiatan"), _("Waktu"), _("Penanggung jawab"),
                  _("Status")]  # fmt: skip
        return listing_export(
            queryset=activities,
            form=form,
            fmt=fmt,
            title=_("Rencana tindak lanjut"),
            header=header,
            row=_export_row,
            filename="rencana-tindak-lanjut",
        )
    listing = listing_page(request, activities, form)
    return render(request, "followup/plan_list.html", {"listing": listing})
