"""Forms of the meeting and FKP screens. They validate input; the services write."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from skm_portal import uploads as filetypes
from skm_portal.listing import ListFilterForm

from .fkp_models import BeritaAcara, Recommendation, Representative
from .fkp_services import BERITA_ACARA_FIELDS
from .models import Attendee, InviteeGroup, LetterNumberRange, LetterNumberSource, Meeting, Minutes, Sex
from .selectors import activity_choices
from .services import MEETING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(forms.ModelForm):
    material_url = forms.URLField(label=_("Tautan bahan"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 2}),
            "date": DATE,
            "letter_date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "opening": forms.Textarea(attrs={"rows": 3}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "carbon_copy": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kind: str = Meeting.Kind.RAPAT, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening"].required = False
        self.fields["opening"].help_text = _("Kosongkan untuk kalimat baku dari nama kegiatan.")
        self.fields["signer_title"].required = False
        self.fields["signer_name"].required = False
        self.fields["signer_name"].help_text = _("Kosongkan untuk kepala instansi dari profil instansi.")
        self.fields["letter_date"].required = False
        if kind != Meeting.Kind.FKP:
            del self.fields["material_url"]


class InviteeGroupForm(forms.Form):
    heading = forms.CharField(
        label=_("Judul kelompok"),
        max_length=200,
        required=False,
        help_text=_("Mis. UNSUR AKADEMISI. Kosongkan untuk daftar tanpa kelompok."),
    )
    unsur = forms.ChoiceField(label=_("Unsur"), choices=[("", "—"), *InviteeGroup.Unsur.choices], required=False)
    lines = forms.CharField(
        label=_("Yang diundang (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Isi sekurang-kurangnya satu undangan (satu per baris).")},
    )

    def cleaned_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["lines"].splitlines() if line.strip()]


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["basis", "start_time", "participants", "results"]
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 3}),
            "start_time": TIME,
            "participants": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 12}),
        }


class AttendeeForm(forms.ModelForm):
    number = forms.IntegerField(
        label=_("No."),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=_("Sesuai lembar; kosongkan untuk berikutnya."),
    )

    class Meta:
        model = Attendee
        fields = ["number", "name", "institution", "sex", "age"]


class CheckinForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200, error_messages={"required": _("Isi nama Anda.")})
    institution = forms.CharField(label=_("Instansi/Jabatan"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect, required=False)
    age = forms.IntegerField(
        label=_("Usia (tahun)"),
        min_value=10,
        max_value=100,
        required=False,
        error_messages={
            "min_value": _("Usia antara 10 dan 100 tahun."),
            "max_value": _("Usia antara 10 dan 100 tahun."),
        },
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40_000)
    typed_signature = forms.CharField(
        label=_("Ketik nama Anda sebagai tanda tangan"),
        max_length=200,
        required=False,
        help_text=_("Dipakai bila bidang tanda tangan tidak dapat digunakan."),
    )


class ScanForm(forms.Form):
    title = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Pindaian daftar hadir (PDF, JPEG atau PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(filetypes.ACCEPTED_EXTENSIONS)}),
        error_messages={"required": _("Pilih berkas yang akan diunggah.")},
    )


class BeritaAcaraForm(forms.ModelForm):
    class Meta:
        model = BeritaAcara
        fields = list(BERITA_ACARA_FIELDS)
        widgets = {
            "commitments": forms.Textarea(attrs={"rows": 6}),
            "signed_on": DATE,
            "left_title": forms.Textarea(attrs={"rows": 2}),
            "right_title": forms.Textarea(attrs={"rows": 2}),
        }


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["problem", "recommendation", "completion_period"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 2}), "recommendation": forms.Textarea(attrs={"rows": 2})}


class RecommendationEditForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = [
            "problem", "recommendation", "completion_period", "due_date", "responsible_unit", "activity",
            "followup_meeting", "progress_note",
        ]  # fmt: skip
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "recommendation": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE,
            "progress_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.fields["activity"]
        activity.queryset = activity_choices()
        activity.label_from_instance = lambda a: f"{a.plan.period.name} · {a.plan.element_name} · {a.letter}. {a.title}"
        meeting = self.fields["followup_meeting"]
        meeting.queryset = Meeting.objects.exclude(pk=self.instance.meeting_id).order_by("-date")


class RecommendationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Recommendation.Status.choices)


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = ["name", "phone", "sex", "represents"]

    def __init__(self, *args, **kwargs):
        # Own field names and ids: the FKP page also shows the attendance form (name, sex).
        kwargs.setdefault("prefix", "wakil")
        super().__init__(*args, **kwargs)


class EvidenceRecordForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Rapat atau FKP"),
        queryset=Meeting.objects.order_by("-date", "-pk"),
        error_messages={"required": _("Pilih rapat atau FKP."), "invalid_choice": _("Rapat tidak ditemukan.")},
    )
    title = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        # Own ids: shown on the activity page next to the upload and link forms.
        kwargs.setdefault("auto_id", "record_%s")
        super().__init__(*args, **kwargs)


# --- letter numbers -------------------------------------------------------------------------

NUMBER_MAX = 999_999


class LetterNumberForm(forms.Form):
    """How the invitation gets its running number: typed from the central agenda book,
    drawn from a reserved range, or given by the app."""

    SOURCE_LABELS = {
        LetterNumberSource.AGENDA: _("Dari buku agenda (ketik nomornya)"),
        LetterNumberSource.RANGE: _("Dari rentang nomor cadangan"),
        LetterNumberSource.APP: _("Nomor berikutnya dari aplikasi"),
    }

    source = forms.ChoiceField(
        label=_("Asal nomor"),
        choices=list(SOURCE_LABELS.items()),
        initial=LetterNumberSource.AGENDA,
        widget=forms.RadioSelect,
        required=False,  # a bare POST (no choice) asks the app for the next number
    )
    number = forms.IntegerField(
        label=_("Nomor dari buku agenda"),
        min_value=1,
        max_value=NUMBER_MAX,
        required=False,
        help_text=_("Nomor urut yang diberikan buku agenda pusat, mis. 1493."),
        error_messages={"min_value": _("Nomor surat harus bilangan bulat positif.")},
    )
    number_range = forms.ModelChoiceField(
        label=_("Rentang nomor cadangan"),
        queryset=LetterNumberRange.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args, year: int | None = None, **kwargs):
        kwargs.setdefault("prefix", "nomor")
        super().__init__(*args, **kwargs)
        ranges = LetterNumberRange.objects.filter(year=year, next_number__lte=models.F("last")) if year else None
        self.fields["number_range"].queryset = ranges if ranges is not None else LetterNumberRange.objects.none()
        self.fields["number_range"].label_from_instance = lambda r: (
            _("%(first)s\u2013%(last)s (berikutnya %(next)s, sisa %(left)s)")
            % {"first": r.first, "last": r.last, "next": r.next_number, "left": r.remaining}
        )
        self.has_ranges = ranges is not None and ranges.exists()
        if not self.has_ranges:
            self.fields["source"].choices = [c for c in self.SOURCE_LABELS.items() if c[0] != LetterNumberSource.RANGE]
            del self.fields["number_range"]

    def clean(self):
        data = super().clean()
        source = data["source"] = data.get("source") or LetterNumberSource.APP
        if source == LetterNumberSource.AGENDA and data.get("number") is None and "number" not in self.errors:
            self.add_error("number", _("Ketik nomor yang diberikan buku agenda."))
        if source == LetterNumberSource.RANGE and not data.get("number_range"):
            self.add_error(None, _("Pilih rentang nomor cadangan."))
        return data

    def service_arguments(self) -> dict:
        source = self.cleaned_data["source"]
        return {
            "number": self.cleaned_data["number"] if source == LetterNumberSource.AGENDA else None,
            "number_range": self.cleaned_data.get("number_range") if source == LetterNumberSource.RANGE else None,
        }


class LetterNumberCorrectionForm(forms.Form):
    number = forms.IntegerField(
        label=_("Nomor yang benar"),
        min_value=1,
        max_value=NUMBER_MAX,
        error_messages={
            "required": _("Ketik nomor yang benar dari buku agenda."),
            "min_value": _("Nomor surat harus bilangan bulat positif."),
        },
    )
    reason = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=300,
        help_text=_("Mis. salah ketik; buku agenda memberi nomor lain."),
        error_messages={"required": _("Tuliskan alasan koreksi nomor (tercatat pada riwayat perubahan).")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "koreksi")
        super().__init__(*args, **kwargs)


class LetterFirstNumberForm(forms.Form):
    first_number = forms.IntegerField(
        label=_("Nomor pertama dari aplikasi"),
        min_value=1,
        max_value=NUMBER_MAX,
        error_messages={"min_value": _("Nomor pertama harus bilangan bulat positif.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "awal")
        super().__init__(*args, **kwargs)


class LetterRangeForm(forms.Form):
    first = forms.IntegerField(label=_("Nomor awal"), min_value=1, max_value=NUMBER_MAX)
    last = forms.IntegerField(label=_("Nomor akhir"), min_value=1, max_value=NUMBER_MAX)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rentang")
        super().__init__(*args, **kwargs)


class MeetingFilterForm(ListFilterForm):
    """Rapat dan FKP: search title/agenda/place, kind, meeting dates, sort."""

    search_fields = ("title", "agenda", "place", "subject")
    search_label = _("Cari rapat")
    search_placeholder = _("Judul, agenda, tempat")
    date_field = "date"
    sorts = {
        "date": (_("Tanggal"), ("date", "start_time", "pk")),
        "title": (_("Kegiatan"), ("title", "pk")),
        "number": (_("Nomor surat"), ("letter_year", "letter_number", "pk")),
        "attendees": (_("Hadir"), ("attendee_count", "pk")),
    }
    default_sort = "-date"

    jenis = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua")), *Meeting.Kind.choices])

    field_order = ["q", "jenis", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].error_messages["invalid_choice"] = _("Jenis kegiatan itu tidak ada.")

    def filter_queryset(self, queryset, data):
        return queryset.filter(kind=data["jenis"]) if data.get("jenis") else queryset
