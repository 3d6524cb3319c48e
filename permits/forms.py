"""Forms of the permit screens; they validate input, the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skm_portal import uploads
from skm_portal.listing import ListFilterForm

from .models import DOCUMENT_EXTENSIONS, Agency, PermitType
from .services import MAX_DOCUMENT_BYTES

DECLARATION = _(
    "Dengan ini saya menyatakan bahwa data yang saya kirim adalah benar dan valid. Saya bersedia menerima "
    "sanksi sesuai dengan ketentuan peraturan perundang-undangan yang berlaku jika data yang saya kirim "
    "tidak benar dan tidak valid."
)
ACCEPT = ",".join(f".{ext}" for ext in DOCUMENT_EXTENSIONS)


def bootstrap(form: forms.Form) -> None:
    """Give every widget its Bootstrap class (the templates render fields one by one)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class RegisterForm(UserCreationForm):
    first_name = forms.CharField(label=_("Nama depan"), max_length=150)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Surel (e-mail)"), help_text=_("Pemberitahuan revisi dan selesai dikirim ke sini.")
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    # Whether the username or e-mail is taken is never said on screen (it would tell anyone
    # which accounts exist); `permits.registration.applicant_register` tells the e-mail's owner.
    def clean_username(self):
        return self.cleaned_data["username"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def validate_unique(self):
        pass


def _document_field(requirement, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=requirement.name,
        required=required,
        help_text=requirement.help_text or _("PDF, JPG atau PNG, paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class DocumentsForm(forms.Form):
    """One file field per required document of a permit type, plus the declaration."""

    declaration = forms.BooleanField(
        label=DECLARATION,
        required=False,
    )

    def __init__(self, *args, permit_type: PermitType, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(permit_type.required_documents.all())
        fields = {}
        for requirement in self.requirements:
            fields[self.field_name(requirement)] = _document_field(
                requirement, required=requirement.is_mandatory and not replacing
            )
        self.replacing = replacing
        declaration = self.fields.pop("declaration")
        self.fields.update(fields)
        if replacing:
            self.fields["explanation"] = forms.CharField(
                label=_("Penjelasan bila tidak ada dokumen yang diganti"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Mis. data yang diminta sudah ada di dokumen sebelumnya; sebutkan di halaman mana."),
            )
        self.fields["declaration"] = declaration
        bootstrap(self)

    @staticmethod
    def field_name(requirement) -> str:
        return f"dokumen_{requirement.pk}"

    def clean(self):
        cleaned = super().clean()
        for requirement in self.requirements:
            upload = cleaned.get(self.field_name(requirement))
            if not upload:
                continue
            try:
                uploads.upload_check(upload, max_bytes=MAX_DOCUMENT_BYTES)
            except uploads.RefusedFile as refused:
                self.add_error(self.field_name(requirement), str(refused))
        if self.replacing and not self.documents_given(cleaned) and not cleaned.get("explanation", "").strip():
            self.add_error(
                "explanation",
                _(
                    "Ganti sekurang-kurangnya satu dokumen yang dikembalikan, atau jelaskan di sini mengapa "
                    "tidak ada dokumen yang perlu diganti."
                ),
            )
        if not cleaned.get("declaration"):
            self.add_error("declaration", _("Centang pernyataan kebenaran data untuk melanjutkan."))
        return cleaned

    def documents_given(self, cleaned) -> bool:
        return any(cleaned.get(self.field_name(req)) for req in self.requirements)

    def documents(self) -> dict[int, object]:
        return {
            req.pk: self.cleaned_data[self.field_name(req)]
            for req in self.requirements
            if self.cleaned_data.get(self.field_name(req))
        }


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_step = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MonitoringFilterForm(ListFilterForm):
    """Monitoring Izin: search, permit type, step, overdue, submission dates, sort."""

    search_fields = ("number", "applicant__first_name", "applicant__last_name", "applicant__username",
                     "permit_type__name")  # fmt: skip
    search_label = _("Cari berkas")
    search_placeholder = _("No. berkas, pemohon, jenis izin")
    date_field = "submitted_at"
    sorts = {
        "number": (_("No. Berkas"), ("number", "pk")),
        "type": (_("Jenis Izin"), ("permit_type__name", "-submitted_at", "-pk")),
        "applicant": (_("Pemohon"), ("applicant__first_name", "applicant__last_name", "applicant__username", "pk")),
        "submitted": (_("Diajukan"), ("submitted_at", "pk")),
        "step": (_("Status"), ("step", "-submitted_at", "-pk")),
        "deadline": (_("Batas Waktu"), ("deadline_at", "pk")),
    }
    default_sort = "-submitted"

    permit_type = forms.ModelChoiceField(
        label=_("Jenis izin"), queryset=PermitType.objects.order_by("name"), required=False, empty_label=_("Semua")
    )
    step = forms.ChoiceField(label=_("Tahap"), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)

    field_order = ["q", "permit_type", "step", "date_from", "date_to", "sort", "overdue"]

    def __init__(self, *args, now=None, **kwargs):
        from .models import STEP_CHOICES

        self.now = now
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("Semua tahap")), *STEP_CHOICES]
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"
        self.fields["permit_type"].error_messages["invalid_choice"] = _("Jenis izin itu tidak ada.")
        self.fields["step"].error_messages["invalid_choice"] = _("Tahap itu tidak ada.")

    def filter_queryset(self, queryset, data):
        from .selectors import overdue_q

        if data.get("permit_type"):
            queryset = queryset.filter(permit_type=data["permit_type"])
        if data.get("step"):
            queryset = queryset.filter(step=data["step"])
        if data.get("overdue"):
            queryset = queryset.filter(overdue_q(self.now or timezone.now()))
        return queryset


class RevisionFilterForm(ListFilterForm):
    """Permohonan Izin > Revisi: the applicant's returned files, searchable and sortable."""

    search_fields = ("number", "permit_type__name", "applicant_note")
    search_label = _("Cari berkas")
    search_placeholder = _("No. berkas, jenis izin, catatan")
    sorts = {
        "number": (_("No. Berkas"), ("number", "pk")),
        "type": (_("Jenis Izin"), ("permit_type__name", "pk")),
        "returned": (_("Dikembalikan"), ("step_entered_at", "pk")),
    }
    default_sort = "returned"


DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"]


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak valid; gunakan format hari-bulan-tahun.")},
    )


class AnalyticsFilterForm(forms.Form):
    """Year or date range (submission date, WITA) and permit type of the analytics."""

    year = forms.TypedChoiceField(label=_("Tahun"), required=False, coerce=int, empty_value=None)
    date_from = _date_field(_("Dari tanggal"))
    date_to = _date_field(_("Sampai tanggal"))
    permit_type = forms.ModelChoiceField(
        label=_("Jenis izin"), queryset=PermitType.objects.order_by("name"), required=False, empty_label=_("Semua")
    )

    MAX_DAYS = 366 * 10

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        years = range(today.year, today.year - 10, -1)
        self.fields["year"].choices = [("", _("Rentang tanggal")), *[(y, str(y)) for y in years]]
        bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        year, start, end = cleaned.get("year"), cleaned.get("date_from"), cleaned.get("date_to")
        if self.errors:
            return cleaned
        if year:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif start is None and end is None:
            start, end = dt.date(self.today.year, 1, 1), dt.date(self.today.year, 12, 31)
        elif start is None or end is None:
            raise forms.ValidationError(_("Isi tanggal awal dan tanggal akhir, atau pilih tahun."))
        if start > end:
            raise forms.ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
        if (end - start).days > self.MAX_DAYS:
            raise forms.ValidationError(_("Rentang tanggal paling panjang 10 tahun."))
        cleaned["date_from"], cleaned["date_to"] = start, end
        return cleaned


PHONE_CHARS = set("0123456789+ -()")


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    email = forms.EmailField(
        label=_("Surel (e-mail)"), help_text=_("Jawaban pengaduan dan tautan status dikirim ke sini.")
    )
    phone = forms.CharField(label=_("Nomor telepon/WhatsApp"), max_length=30, required=False)
    permit_number = forms.CharField(
        label=_("Nomor berkas permohonan (jika ada)"),
        max_length=40,
        required=False,
        help_text=_("Contoh: IZIN/2025/000012. Kosongkan bila pengaduan tidak tentang satu berkas."),
    )
    subject = forms.CharField(label=_("Pokok pengaduan"), max_length=200)
    description = forms.CharField(
        label=_("Uraian pengaduan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju nama, surel dan nomor telepon saya dipakai untuk menjawab pengaduan ini. Data pribadi "
            "hanya dilihat petugas DPMPTSP dan tidak ditampilkan kepada umum."
        ),
        error_messages={"required": _("Centang persetujuan penggunaan data untuk mengirim pengaduan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (not set(phone) <= PHONE_CHARS or not 8 <= digits <= 15):
            raise forms.ValidationError(_("Nomor telepon terdiri dari 8 sampai 15 angka, misalnya 0812 3456 7890."))
        return phone


class ConsultationForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Perangkat daerah yang hadir"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih perangkat daerah yang diajak rapat.")},
    )
    held_at = forms.DateTimeField(
        label=_("Waktu rapat (WITA)"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Isi tanggal dan jam rapat."),
            "invalid": _("Waktu rapat tidak valid; isi tanggal dan jam."),
        },
    )
    note = forms.CharField(
        label=_("Hasil pembahasan"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ComplaintAnswerForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")], widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Jawaban untuk pelapor"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tulis jawaban untuk pelapor.")},
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ComplaintFilterForm(ListFilterForm):
    """Complaints: search, status, overdue, filing dates, sort."""

    search_fields = ("number", "name", "subject", "description", "permit__number")
    search_label = _("Cari pengaduan")
    search_placeholder = _("No. pengaduan, nama, pokok, no. berkas")
    date_field = "filed_at"
    sorts = {
        "number": (_("No. Pengaduan"), ("number", "pk")),
        "subject": (_("Pokok pengaduan"), ("subject", "pk")),
        "filed": (_("Diajukan"), ("filed_at", "pk")),
        "status": (_("Status"), ("status", "deadline_at", "pk")),
        "deadline": (_("Batas Waktu"), ("deadline_at", "pk")),
    }
    default_sort = "deadline"

    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)

    field_order = ["q", "status", "date_from", "date_to", "sort", "overdue"]

    def __init__(self, *args, now=None, **kwargs):
        from .complaints import STATUS_CHOICES

        self.now = now
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *STATUS_CHOICES]
        self.fields["status"].error_messages["invalid_choice"] = _("Status itu tidak ada.")
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filter_queryset(self, queryset, data):
        from .selectors import complaint_overdue_q

        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("overdue"):
            queryset = queryset.filter(complaint_overdue_q(self.now or timezone.now()))
        return queryset


class DayOffForm(forms.Form):
    date = _date_field(_("Tanggal"), required=True)
    description = forms.CharField(label=_("Keterangan"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Isi tanggal hari libur.")
        self.fields["description"].error_messages["required"] = _("Isi keterangan hari libur.")
        bootstrap(self)
