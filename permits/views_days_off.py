"""The administrator's screen for the office's own days off (besides Django admin)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from skm_portal.dates import date_id
from skm_portal.formviews import submit
from skm_portal.permissions import permission_required

from . import selectors
from .calendar import WorkCalendar
from .days_off import office_day_off_create, office_day_off_delete
from .forms import DayOffForm
from .models import OfficeDayOff


def _year(request) -> int:
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@permission_required("permits.admin")
@require_http_methods(["GET", "POST"])
def days_off(request):
    """List the days off of a year with the national holidays beside them; add one."""
    year = _year(request)
    form = DayOffForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: office_day_off_create(date=data["date"], description=data["description"], actor=request.user),
            success=lambda day: (
                _(
                    "Hari libur kantor %(date)s ditambahkan; batas waktu berkas dan pengaduan yang masih "
                    "berjalan ikut disesuaikan."
                )
                % {"date": date_id(day.date)}
            ),
            then=lambda day: redirect(f"{reverse('permits:days_off')}?tahun={day.date.year}"),
        )
        if done:
            return done
    national = WorkCalendar().holidays_in(year)
    context = {
        "form": form,
        "year": year,
        "years": [year - 1, year, year + 1],
        "days": selectors.days_off_list(year=year),
        "national": national,
    }
    return render(request, "permits/days_off.html", context)


@permission_required("permits.admin")
@require_POST
def day_off_delete(request, pk: int):
    day = get_object_or_404(OfficeDayOff, pk=pk)
    office_day_off_delete(day_off=day, actor=request.user)
    messages.success(request, _("Hari libur kantor %(date)s dihapus.") % {"date": date_id(day.date)})
    return redirect(f"{reverse('permits:days_off')}?tahun={day.date.year}")
