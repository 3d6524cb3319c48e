from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from surveys.models import Period, Service

from .forms import OfficeProfileForm
from .models import OfficeProfile
from .permissions import permission_required


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "services": Service.objects.filter(is_active=True),
            "periods": Period.objects.filter(is_public=True).order_by("-start_date")[:4],
        },
    )


@permission_required("portal.dashboard")
def dashboard(request):
    return render(request, "portal/dashboard.html")


@permission_required("portal.edit_office")
def office_edit(request):
    profile = OfficeProfile.get()
    form = OfficeProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil instansi disimpan."))
        return redirect("office_edit")
    return render(request, "portal/office_form.html", {"form": form})
