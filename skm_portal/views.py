"""The shell's own pages: office profile, mail retry, the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, mail
from .forms import AuditFilterForm, OfficeProfileForm
from .listing import EXPORT_FORMATS, rows_export
from .models import OfficeProfile
from .permissions import permission_required


@permission_required("portal.mail_status")
@require_POST
def mail_retry(request):
    count = mail.outbound_mail_retry(actor=request.user)
    messages.success(request, _("%(count)s e-mail dikirim ulang.") % {"count": count})
    return redirect("dashboard")


@permission_required("portal.edit_office")
def office_edit(request):
    profile = OfficeProfile.get()
    before = audit.snapshot(profile, OfficeProfileForm.Meta.fields)
    form = OfficeProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            changes = audit.changes_of(profile, before, OfficeProfileForm.Meta.fields)
            if changes:
                audit.audit_record(
                    actor=request.user,
                    action="office_updated",
                    obj=profile,
                    summary=_("Profil instansi diubah."),
                    changes=changes,
                )
        messages.success(request, _("Profil instansi disimpan."))
        return redirect("office_edit")
    return render(request, "portal/office_form.html", {"form": form})


AUDIT_PAGE_SIZE = 50


@permission_required("portal.audit")
def audit_log(request):
    """The one audit log: who changed what and when, searchable, filtered, sorted, 50 a page,
    and exported (xlsx or CSV) exactly as filtered and sorted."""
    apps = [(code, str(label)) for code, label in audit.APP_LABELS.items()]
    form = AuditFilterForm(request.GET or None, apps=apps, actions=audit.audit_actions())
    query = audit.AuditQuery()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = audit.AuditQuery(
            text=data["q"],
            user=data["user"],
            app=data["app"],
            action=data["action"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    entries = audit.audit_search(query).order_by(*form.order())
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS and (not form.is_bound or form.is_valid()):
        return rows_export(
            queryset=entries,
            fmt=fmt,
            title=_("Riwayat Perubahan"),
            header=[_("Waktu (WITA)"), _("Pengguna"), _("Bagian"), _("Tindakan"), _("Data"), _("Ringkasan")],
            row=lambda e: [
                e.at,  # a spreadsheet date-time in WITA
                e.actor_display,
                e.app_display,
                e.action_display,
                e.object_repr,
                e.summary,
            ],
            filename="riwayat-perubahan",
        )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("halaman"))
    params = request.GET.copy()
    params.pop("halaman", None)
    params.pop("format", None)
    return render(
        request,
        "portal/audit_log.html",
        {"form": form, "page": page, "entries": page.object_list, "params": params.urlencode()},
    )
