"""FKP screens: the berita acara, its recommendations (tracked to completion) and the
community representatives; a meeting linked as evidence of an RTL activity; and the public
monitoring of FKP recommendations (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skm_portal.formviews import submit
from skm_portal.models import OfficeProfile
from skm_portal.permissions import permission_required

from ..changes import MANAGE
from ..plans.evidence import evidence_add_record
from ..plans.models import Activity
from . import fkp_services
from . import selectors as meeting_selectors
from .fkp_models import Recommendation, Representative
from .forms import (
    BeritaAcaraForm,
    EvidenceRecordForm,
    RecommendationEditForm,
    RecommendationForm,
    RecommendationStatusForm,
    RepresentativeForm,
)
from .views import flash_errors, form_page, meeting_or_404, meeting_page, to_meeting

# --- FKP: berita acara, recommendations, representatives -----------------------------------


@permission_required(MANAGE)
def berita_acara_edit(request, meeting: int):
    obj = meeting_or_404(meeting)
    if not obj.is_fkp:
        raise Http404(_("Berita acara hanya ada pada Forum Konsultasi Publik."))
    current = getattr(obj, "berita_acara", None)
    initial = None
    if current is None:
        initial = {"signed_on": obj.date, "left_title": "Kepala Bidang Layanan Perizinan\ndan Non Perizinan,"}
        initial.update({"left_name": obj.chair_name, "left_nip": obj.chair_nip})
        office = OfficeProfile.get()
        initial.update(
            right_title=f"{office.head_title},", right_name=office.head_name, right_rank=office.head_rank,
            right_nip=office.head_nip, place=office.city or "Samarinda",
        )  # fmt: skip
    form = BeritaAcaraForm(request.POST or None, instance=current, initial=initial)
    done = submit(
        request,
        form,
        lambda data: fkp_services.berita_acara_save(meeting=obj, user=request.user, **data),
        success=_("Berita acara disimpan."),
        then=lambda _result: to_meeting(obj, "berita-acara"),
    )
    return done or form_page(
        request,
        form=form,
        title=_("Berita acara: %(title)s") % {"title": obj.title},
        action=reverse("followup:berita_acara_edit", kwargs={"meeting": obj.pk}),
        meeting=obj,
    )


@permission_required(MANAGE)
@require_POST
def recommendation_add(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = RecommendationForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: fkp_services.recommendation_add(meeting=obj, user=request.user, **data),
        success=_("Rekomendasi ditambahkan."),
        then=lambda _result: to_meeting(obj, "rekomendasi"),
    )
    return done or meeting_page(request, obj, recommendation_form=form, status=400)


@permission_required(MANAGE)
def recommendation_edit(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    form = RecommendationEditForm(request.POST or None, instance=Recommendation.objects.get(pk=obj.pk))
    done = submit(
        request,
        form,
        lambda data: fkp_services.recommendation_update(
            recommendation=obj,
            user=request.user,
            problem=data["problem"],
            recommendation_text=data["recommendation"],
            completion_period=data["completion_period"],
            due_date=data["due_date"],
            responsible_unit=data["responsible_unit"],
            activity=data["activity"],
            followup_meeting=data["followup_meeting"],
            progress_note=data["progress_note"],
        ),
        success=_("Rekomendasi disimpan."),
        then=lambda _result: to_meeting(obj.meeting, "rekomendasi"),
    )
    return done or form_page(
        request,
        form=form,
        title=_("Rekomendasi %(number)s. – %(title)s") % {"number": obj.number, "title": obj.meeting.title},
        action=reverse("followup:recommendation_edit", kwargs={"recommendation": obj.pk}),
        meeting=obj.meeting,
    )


@permission_required(MANAGE)
@require_POST
def recommendation_status(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    form = RecommendationStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status rekomendasi tidak dikenal."))
    else:
        try:
            fkp_services.recommendation_set_status(
                recommendation=obj, user=request.user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Status rekomendasi %(number)s. disimpan.") % {"number": obj.number})
    return to_meeting(obj.meeting, "rekomendasi")


@permission_required(MANAGE)
@require_POST
def recommendation_delete(request, recommendation: int):
    obj = get_object_or_404(Recommendation.objects.select_related("meeting"), pk=recommendation)
    fkp_services.recommendation_remove(recommendation=obj, user=request.user)
    messages.success(request, _("Rekomendasi dihapus."))
    return to_meeting(obj.meeting, "rekomendasi")


@permission_required(MANAGE)
@require_POST
def representative_add(request, meeting: int):
    obj = meeting_or_404(meeting)
    form = RepresentativeForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: fkp_services.representative_add(meeting=obj, user=request.user, **data),
        success=_("Perwakilan ditambahkan."),
        then=lambda _result: to_meeting(obj, "perwakilan"),
    )
    return done or meeting_page(request, obj, representative_form=form, status=400)


@permission_required(MANAGE)
@require_POST
def representative_delete(request, representative: int):
    obj = get_object_or_404(Representative.objects.select_related("meeting"), pk=representative)
    fkp_services.representative_remove(representative=obj, user=request.user)
    messages.success(request, _("Perwakilan dihapus."))
    return to_meeting(obj.meeting, "perwakilan")


# --- evidence: a meeting as bukti dukung of an RTL activity --------------------------------


@permission_required(MANAGE)
@require_POST
def evidence_record(request, activity: int):
    obj = get_object_or_404(Activity.objects.select_related("plan__period"), pk=activity)
    form = EvidenceRecordForm(request.POST)
    if form.is_valid():
        try:
            evidence_add_record(
                activity=obj, user=request.user, record=form.cleaned_data["meeting"], title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Rapat ditautkan sebagai bukti dukung."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("followup:activity", activity=obj.pk)


# --- public monitoring of FKP recommendations ----------------------------------------------


def fkp_monitoring(request):
    """Public (no login): every FKP's recommendations and their progress."""
    return render(request, "followup/public/fkp_list.html", {"fkps": meeting_selectors.public_fkps()})


def fkp_monitoring_detail(request, meeting: int):
    """Public (no login): one FKP's recommendations. No names or phone numbers of people."""
    obj = get_object_or_404(meeting_selectors.public_fkps(), pk=meeting)
    return render(
        request,
        "followup/public/fkp_detail.html",
        {"meeting": obj, "recommendations": meeting_selectors.public_recommendations(obj)},
    )
