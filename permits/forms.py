"""Forms of the permit screens; they validate input, the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

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
        declaration = self.fields.pop("declaration")
        self.fields.update(fields)
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
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension not in DOCUMENT_EXTENSIONS:
                self.add_error(self.field_name(requirement), _("Unggah berkas PDF, JPG atau PNG."))
            elif upload.size > MAX_DOCUMENT_BYTES:
                self.add_error(self.field_name(requirement), _("Ukuran berkas paling besar 5 MB."))
        if not cleaned.get("declaration"):
            self.add_error("declaration", _("Centang pernyataan kebenaran data untuk melanjutkan."))
        return cleaned

    def documents(self) -> dict[int, object]:
        return {
            req.pk: self.cleaned_data[self.field_name(req)]
            for req in self.requirements
            if self.cleaned_data.get(self.field_name(req))
        }

    def document_fields(self):
        return [self[self.field_name(req)] for req in self.requirements]


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    expected_step = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MonitoringFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)
    step = forms.ChoiceField(label=_("Tahap"), required=False)

    def __init__(self, *args, **kwargs):
        from .models import STEP_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("Semua tahap")), *STEP_CHOICES]
        bootstrap(self)


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


class ComplaintFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        from .complaints import STATUS_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *STATUS_CHOICES]
        bootstrap(self)


class DayOffForm(forms.Form):
    date = _date_field(_("Tanggal"), required=True)
    description = forms.CharField(label=_("Keterangan"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].error_messages["required"] = _("Isi tanggal hari libur.")
        self.fields["description"].error_messages["required"] = _("Isi keterangan hari libur.")
        bootstrap(self)
