"""Follow-up screens: year overview -> period priorities -> plan -> activity -> evidence.

Views are thin: they check the permission, bind a form, call a service or selector and
render. Reads need "followup.view", writes "followup.manage". Every page works without
JavaScript (plain forms and redirects).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skm_portal.formviews import error_messages, submit
from skm_portal.listing import export_format, listing_export, listing_page
from skm_portal.permissions import permission_required
from skm_portal.uploads import size_label
from surveys.models import Period

from ..changes import MANAGE, VIEW
from ..meetings.forms import EvidenceRecordForm
from ..storage import evidence_max_bytes, evidence_storage
from . import evidence as evidence_services
from . import selectors, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    EvidenceLinkForm,
    EvidenceUploadForm,
    MoveForm,
    PlanForm,
    PrioritiesForm,
    ProposalRuleForm,
    StatusForm,
    StepForm,
)
from .models import Activity, Evidence, FollowUpPlan, RealisationStep


def _flash_errors(request, error: ValidationError) -> None:
    for message in error_messages(error):
        messages.error(request, message)


# --- overview and priorities ----------------------------------------------------------


@permission_required(VIEW)
def overview(request):
    years = selectors.years()
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    data = selectors.year_overview(year)
    return render(request, "followup/plans/overview.html", {"overview": data, "year": year})


def _period_page(request, period: Period, form: PrioritiesForm | None = None, status: int = 200):
    rule_form = ProposalRuleForm(request.GET or None)
    rule = count = None
    if rule_form.is_valid():
        rule = rule_form.cleaned_data.get("aturan") or None
        count = rule_form.cleaned_data.get("jumlah") or None
    data = selectors.period_priorities(period, rule=rule, count=count)
    if form is None:
        initial = [p.element_code for p in data.plans] or list(data.proposal.proposed)
        form = PrioritiesForm(
            initial={"codes": initial, "aturan": data.proposal.rule, "jumlah": data.proposal.count},
            candidates=data.proposal.candidates,
        )
    if not rule_form.is_bound:
        rule_form = ProposalRuleForm(initial={"aturan": data.proposal.rule, "jumlah": data.proposal.count})
    plans = list(selectors.plan_detail_queryset().filter(period=period).order_by("rank", "element_code"))
    effects = selectors.plan_effects(plans)
    context = {
        "period": period,
        "data": data,
        "form": form,
        "rule_form": rule_form,
        "selected": set(form["codes"].value() or []),
        "plans": [(plan, plan.progress(), selectors.plan_descriptions(plan), effects[plan.pk]) for plan in plans],
        "audit": selectors.period_audit(period),
    }
    return render(request, "followup/plans/period.html", context, status=status)


@permission_required(VIEW)
def period_detail(request, period: int):
    return _period_page(request, get_object_or_404(Period, pk=period))


@permission_required(MANAGE)
@require_POST
def priorities_confirm(request, period: int):
    period_obj = get_object_or_404(Period, pk=period)
    candidates = selectors.period_priorities(period_obj).proposal.candidates
    form = PrioritiesForm(request.POST, candidates=candidates)
    done = submit(
        request,
        form,
        lambda data: services.priorities_confirm(
            period=period_obj,
            codes=data["codes"],
            user=request.user,
            rule=data.get("aturan") or None,
            count=data.get("jumlah") or None,
        ),
        success=_("Unsur prioritas disimpan. Lengkapi rencana tindak lanjut tiap unsur."),
        then=lambda _plans: redirect("followup:period", period=period_obj.pk),
    )
    return done or _period_page(request, period_obj, form=form)


# --- list of plans ---------------------------------------------------------------------


def _plan_export_row(activity: Activity) -> list[object]:
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
            row=_plan_export_row,
            filename="rencana-tindak-lanjut",
        )
    listing = listing_page(request, activities, form)
    return render(request, "followup/plans/plan_list.html", {"listing": listing})


# --- plan -----------------------------------------------------------------------------


def _plan_page(request, plan: FollowUpPlan, **forms):
    plan = selectors.plan_detail_queryset().get(pk=plan.pk)
    context = {
        "plan": plan,
        "period": plan.period,
        "progress": plan.progress(),
        "effect": selectors.plan_effects([plan])[plan.pk],
        "descriptions": selectors.plan_descriptions(plan),
        "audit": selectors.plan_audit(plan),
        "plan_form": forms.get("plan_form") or PlanForm(instance=plan),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "statuses": Activity.Status.choices,
    }
    return render(request, "followup/plans/plan.html", context)


@permission_required(VIEW)
def plan_detail(request, plan: int):
    return _plan_page(request, get_object_or_404(FollowUpPlan, pk=plan))


@permission_required(MANAGE)
@require_POST
def plan_update(request, plan: int):
    plan_obj = get_object_or_404(FollowUpPlan, pk=plan)
    form = PlanForm(request.POST, instance=FollowUpPlan.objects.get(pk=plan_obj.pk))
    done = submit(
        request,
        form,
        lambda data: services.plan_update(plan=plan_obj, user=request.user, **data),
        success=_("Rencana tindak lanjut disimpan."),
        then=lambda _plan: redirect("followup:plan", plan=plan_obj.pk),
    )
    return done or _plan_page(request, plan_obj, plan_form=form)


@permission_required(MANAGE)
@require_POST
def activity_add(request, plan: int):
    plan_obj = get_object_or_404(FollowUpPlan, pk=plan)
    form = ActivityForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.activity_add(plan=plan_obj, user=request.user, title=data["title"]),
        success=lambda activity: _("Kegiatan %(letter)s. ditambahkan.") % {"letter": activity.letter},
        then=lambda _activity: redirect("followup:plan", plan=plan_obj.pk),
    )
    return done or _plan_page(request, plan_obj, activity_form=form)


# --- activity -------------------------------------------------------------------------


def _activity_page(request, activity: Activity, **forms):
    activity = (
        Activity.objects.select_related("plan__period")
        .prefetch_related("steps", "evidence__step", "evidence__uploaded_by")
        .get(pk=activity.pk)
    )
    context = {
        "activity": activity,
        "plan": activity.plan,
        "period": activity.plan.period,
        "title_form": forms.get("title_form") or ActivityForm(instance=activity),
        "status_form": StatusForm(initial={"status": activity.status}),
        "step_form": forms.get("step_form") or StepForm(),
        "upload_form": forms.get("upload_form") or EvidenceUploadForm(activity=activity),
        "link_form": forms.get("link_form") or EvidenceLinkForm(activity=activity),
        "record_form": EvidenceRecordForm(),
        "max_size": size_label(evidence_max_bytes()),
        "statuses": Activity.Status.choices,
    }
    return render(request, "followup/plans/activity.html", context)


def _activity_or_404(pk: int) -> Activity:
    return get_object_or_404(Activity.objects.select_related("plan__period"), pk=pk)


@permission_required(VIEW)
def activity_detail(request, activity: int):
    return _activity_page(request, _activity_or_404(activity))


@permission_required(MANAGE)
@require_POST
def activity_update(request, activity: int):
    obj = _activity_or_404(activity)
    form = ActivityForm(request.POST, instance=Activity.objects.get(pk=obj.pk))
    done = submit(
        request,
        form,
        lambda data: services.activity_update(activity=obj, user=request.user, title=data["title"]),
        success=_("Kegiatan disimpan."),
        then=lambda _activity: redirect("followup:activity", activity=obj.pk),
    )
    return done or _activity_page(request, obj, title_form=form)


def _back(request, fallback):
    """Return to the page the form was on (plan or activity), never to another site."""
    target = request.POST.get("next", "")
    if target.startswith("/tindak-lanjut/") and "//" not in target:
        return redirect(target)
    return fallback


@permission_required(MANAGE)
@require_POST
def activity_status(request, activity: int):
    obj = _activity_or_404(activity)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status kegiatan tidak dikenal."))
    else:
        try:
            services.activity_set_status(activity=obj, user=request.user, status=form.cleaned_data["status"])
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Status kegiatan %(letter)s. disimpan.") % {"letter": obj.letter})
    return _back(request, redirect("followup:activity", activity=obj.pk))


@permission_required(MANAGE)
@require_POST
def activity_move(request, activity: int):
    obj = _activity_or_404(activity)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.activity_move(activity=obj, user=request.user, direction=form.cleaned_data["direction"])
    return redirect("followup:plan", plan=obj.plan_id)


@permission_required(MANAGE)
def activity_delete(request, activity: int):
    obj = _activity_or_404(activity)
    if request.method == "POST":
        services.activity_remove(activity=obj, user=request.user)
        messages.success(request, _("Kegiatan \u201c%(title)s\u201d dihapus.") % {"title": obj.title})
        return redirect("followup:plan", plan=obj.plan_id)
    return render(
        request,
        "followup/plans/activity_delete.html",
        {"activity": obj, "plan": obj.plan, "period": obj.plan.period, "evidence_count": obj.evidence.count()},
    )


# --- realisation steps ----------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def step_add(request, activity: int):
    obj = _activity_or_404(activity)
    form = StepForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: services.step_add(activity=obj, user=request.user, **data),
        success=lambda step: _("Realisasi %(letter)s. ditambahkan.") % {"letter": step.letter},
        then=lambda _step: redirect("followup:activity", activity=obj.pk),
    )
    return done or _activity_page(request, obj, step_form=form)


def _step_or_404(pk: int) -> RealisationStep:
    return get_object_or_404(RealisationStep.objects.select_related("activity__plan__period"), pk=pk)


@permission_required(MANAGE)
def step_edit(request, step: int):
    obj = _step_or_404(step)
    form = StepForm(request.POST or None, instance=RealisationStep.objects.get(pk=obj.pk))
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.step_update(step=obj, user=request.user, **data),
            success=_("Realisasi disimpan."),
            then=lambda _step: redirect("followup:activity", activity=obj.activity_id),
        )
        if done:
            return done
    activity = obj.activity
    context = {"form": form, "step": obj, "activity": activity, "plan": activity.plan, "period": activity.plan.period}
    return render(request, "followup/plans/step_form.html", context)


@permission_required(MANAGE)
@require_POST
def step_move(request, step: int):
    obj = _step_or_404(step)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.step_move(step=obj, user=request.user, direction=form.cleaned_data["direction"])
    return redirect("followup:activity", activity=obj.activity_id)


@permission_required(MANAGE)
@require_POST
def step_delete(request, step: int):
    obj = _step_or_404(step)
    try:
        services.step_remove(step=obj, user=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Realisasi dihapus."))
    return redirect("followup:activity", activity=obj.activity_id)


# --- evidence -------------------------------------------------------------------------


@permission_required(MANAGE)
@require_POST
def evidence_upload(request, activity: int):
    obj = _activity_or_404(activity)
    form = EvidenceUploadForm(request.POST, request.FILES, activity=obj)
    done = submit(
        request,
        form,
        lambda data: evidence_services.evidence_upload(
            activity=obj, user=request.user, upload=data["file"], title=data["title"], step=data["step"]
        ),
        success=_("Bukti dukung diunggah."),
        then=lambda _evidence: redirect("followup:activity", activity=obj.pk),
    )
    return done or _activity_page(request, obj, upload_form=form)


@permission_required(MANAGE)
@require_POST
def evidence_link(request, activity: int):
    obj = _activity_or_404(activity)
    form = EvidenceLinkForm(request.POST, activity=obj)
    done = submit(
        request,
        form,
        lambda data: evidence_services.evidence_add_link(activity=obj, user=request.user, **data),
        success=_("Tautan bukti dukung disimpan."),
        then=lambda _evidence: redirect("followup:activity", activity=obj.pk),
    )
    return done or _activity_page(request, obj, link_form=form)


@permission_required(MANAGE)
@require_POST
def evidence_delete(request, evidence: int):
    obj = get_object_or_404(Evidence, pk=evidence)
    evidence_services.evidence_remove(evidence=obj, user=request.user)
    messages.success(request, _("Bukti dukung dihapus."))
    return redirect("followup:activity", activity=obj.activity_id)


@permission_required(VIEW)
def evidence_download(request, evidence: int):
    """Serve a private evidence file to a user allowed to see the follow-up."""
    obj = get_object_or_404(Evidence, pk=evidence, kind=Evidence.Kind.FILE)
    storage = evidence_storage()
    if not obj.file or not storage.exists(obj.file.name):
        raise Http404(_("Berkas bukti dukung tidak ditemukan."))
    stem = obj.original_name.rsplit(".", 1)[0] or "bukti-dukung"
    extension = obj.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        storage.open(obj.file.name, "rb"),
        content_type=obj.content_type,
        as_attachment=bool(request.GET.get("unduh")),
        filename=f"{stem}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
