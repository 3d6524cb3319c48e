"""Forms of the follow-up screens. They validate input; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skm_portal import uploads as filetypes
from skm_portal.listing import ListFilterForm
from surveys.models import Period

from .models import Activity, FollowUpPlan, RealisationStep, http_url
from .selectors import rule_choices


class ProposalRuleForm(forms.Form):
    """GET form on the priorities page: which rule proposes, and how many."""

    aturan = forms.ChoiceField(label=_("Aturan usulan"), choices=rule_choices, required=False)
    jumlah = forms.IntegerField(label=_("Jumlah usulan"), min_value=1, max_value=30, required=False)


class PrioritiesForm(forms.Form):
    codes = forms.MultipleChoiceField(
        label=_("Unsur prioritas"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sekurang-kurangnya satu unsur prioritas.")},
    )
    aturan = forms.CharField(required=False, widget=forms.HiddenInput)
    jumlah = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=30)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(c.code, f"{c.code} {c.name}") for c in candidates]


class PlanForm(forms.ModelForm):
    class Meta:
        model = FollowUpPlan
        fields = ["element_name", "time_frame", "person_in_charge", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title"]
        widgets = {"title": forms.TextInput(attrs={"placeholder": _("Mis. Monitoring dan evaluasi berkala")})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)


class MoveForm(forms.Form):
    direction = forms.TypedChoiceField(choices=[("-1", _("Naik")), ("1", _("Turun"))], coerce=int)


class StepForm(forms.ModelForm):
    class Meta:
        model = RealisationStep
        fields = ["description", "started_on", "ended_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class _StepChoiceMixin:
    def _limit_steps(self, activity: Activity) -> None:
        field = self.fields["step"]
        field.queryset = RealisationStep.objects.filter(activity=activity).order_by("position", "pk")
        field.label_from_instance = lambda step: f"{step.letter}. {step.description[:80]}"


class EvidenceUploadForm(_StepChoiceMixin, forms.Form):
    title = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Berkas (PDF, JPEG atau PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join([*filetypes.ACCEPTED_EXTENSIONS])}),
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )
    step = forms.ModelChoiceField(
        label=_("Untuk realisasi"), queryset=RealisationStep.objects.none(), required=False, empty_label=_("(kegiatan)")
    )

    def __init__(self, *args, activity: Activity, **kwargs):
        # Own ids: the activity page shows this form next to others with the same field names.
        kwargs.setdefault("auto_id", "upload_%s")
        super().__init__(*args, **kwargs)
        self._limit_steps(activity)


class EvidenceLinkForm(_StepChoiceMixin, forms.Form):
    title = forms.CharField(label=_("Keterangan"), max_length=200)
    url = forms.URLField(label=_("Tautan"), max_length=500, validators=[http_url], assume_scheme="https")
    step = forms.ModelChoiceField(
        label=_("Untuk realisasi"), queryset=RealisationStep.objects.none(), required=False, empty_label=_("(kegiatan)")
    )

    def __init__(self, *args, activity: Activity, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)
        self._limit_steps(activity)


class ActivityFilterForm(ListFilterForm):
    """Daftar rencana tindak lanjut: each plan's programs/activities with their status."""

    search_fields = ("title", "plan__element_name", "plan__element_code", "plan__person_in_charge", "plan__time_frame")
    search_label = _("Cari rencana")
    search_placeholder = _("Kegiatan, unsur, penanggung jawab")
    sorts = {
        "period": (
            _("Periode"),
            ("plan__period__start_date", "plan__rank", "plan__element_code", "position", "pk"),
            ("-plan__period__start_date", "plan__rank", "plan__element_code", "position", "pk"),
        ),
        "element": (_("Prioritas unsur"), ("plan__element_name", "position", "pk")),
        "title": (_("Program/kegiatan"), ("title", "pk")),
        "status": (_("Status"), ("status", "plan__period__start_date", "position", "pk")),
    }
    default_sort = "-period"

    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.order_by("-start_date", "-end_date"),
        required=False,
        empty_label=_("Semua"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua")), *Activity.Status.choices])

    field_order = ["q", "period", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].error_messages["invalid_choice"] = _("Periode itu tidak ada.")
        self.fields["status"].error_messages["invalid_choice"] = _("Status itu tidak ada.")

    def filter_queryset(self, queryset, data):
        if data.get("period"):
            queryset = queryset.filter(plan__period=data["period"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset
