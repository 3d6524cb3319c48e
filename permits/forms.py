"""Forms of the permit screens; they validate input, the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import DOCUMENT_EXTENSIONS, PermitType
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

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Surel ini sudah terdaftar. Silakan masuk dengan akun Anda."))
        return email


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
