"""The public home page and the dashboard: they read several apps, so they sit above them."""

from django.shortcuts import render

from skm_portal import mail
from skm_portal.permissions import has_permission, permission_required
from surveys.models import Period, Service

PUBLIC_PERIODS_SHOWN = 4


def home(request):
    return render(
        request,
        "home/home.html",
        {
            "services": Service.objects.filter(is_active=True),
            "periods": Period.objects.filter(is_public=True).order_by("-start_date")[:PUBLIC_PERIODS_SHOWN],
        },
    )


@permission_required("portal.dashboard")
def dashboard(request):
    outage = mail.mail_outage() if has_permission(request.user, "portal.mail_status") else None
    return render(request, "home/dashboard.html", {"mail_outage": outage})
