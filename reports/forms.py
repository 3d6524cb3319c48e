from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import Period

from . import signing
from .models import Report
from .narrative import TEXT_FIELDS

VERIFY_MAX_BYTES = 50 * 1024 * 1024


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    period = forms.ModelChoiceField(
        label=_("Periode (laporan hasil SKM)"), queryset=Period.objects.order_by("-start_date"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.FOLLOWUP and not data.get("year"):
            self.add_error("year", _("Isi tahun laporan tindak lanjut."))
        if data.get("kind") == Report.Kind.RESULTS and not data.get("period"):
            self.add_error("period", _("Pilih periode laporan hasil SKM."))
        return data


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = list(TEXT_FIELDS)
        widgets = {
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "foreword": forms.Textarea(attrs={"rows": 10}),
            "background": forms.Textarea(attrs={"rows": 12}),
            "legal_basis": forms.Textarea(attrs={"rows": 8}),
            "results_intro": forms.Textarea(attrs={"rows": 6}),
            "plan_intro": forms.Textarea(attrs={"rows": 5}),
            "realisation_intro": forms.Textarea(attrs={"rows": 3}),
            "conclusion": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"foreword": _("Pisahkan paragraf dengan satu baris kosong.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == Report.Kind.RESULTS:
            for name in ("background", "legal_basis", "results_intro", "plan_intro", "realisation_intro"):
                del self.fields[name]
            self.fields["foreword"].label = _("Pengantar")
            self.fields["document_date"].help_text = _("Tanggal yang tercetak di atas tanda tangan laporan.")


class BuildForm(forms.Form):
    """The draft's date is asked where the draft is made: it prints above the signature."""

    document_date = forms.DateField(
        label=_("Tanggal laporan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Isi tanggal laporan."), "invalid": _("Tanggal laporan tidak valid.")},
        help_text=_("Tercetak di atas tanda tangan kepala kantor."),
    )


class SignForm(forms.Form):
    confirm = forms.BooleanField(label=_("Saya telah memeriksa draf ini dan menyetujui isinya."))
    secret = forms.CharField(strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if signing.configured_passphrase():
            self.fields["secret"].label = _("Kata sandi akun Anda (konfirmasi penandatanganan)")
            self.fields["secret"].widget.attrs["autocomplete"] = "current-password"
        else:
            self.fields["secret"].label = _("Frasa sandi sertifikat elektronik")


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Berkas PDF laporan"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar 50 MB)."))
        return upload
