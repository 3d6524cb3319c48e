"""Forms of the people pages and of the forgotten-password flow. They validate input;
`people` writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .people import password_reset_request
from .person_extensions import person_extensions
from .roles import ROLE_LABELS


class PersonForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Untuk masuk; huruf, angka dan . @ + - _ saja, tanpa spasi."),
        error_messages={
            "invalid": _("Nama pengguna hanya boleh berisi huruf, angka dan . @ + - _ tanpa spasi."),
            "required": _("Isi nama pengguna."),
        },
    )
    full_name = forms.CharField(
        label=_("Nama lengkap"), max_length=150, help_text=_("Dengan gelar, mis. Heru Pratama, S.Sos.")
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Alamat email tidak valid.")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sekurang-kurangnya satu peran.")},
    )
    send_link = forms.BooleanField(
        label=_("Kirim tautan untuk mengatur sandi ke email ini"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The apps' fields (e.g. a dinas teknis user's agency) come right after the roles.
        order = list(self.fields)
        position = order.index("roles") + 1
        for extension in person_extensions():
            self.fields[extension.name] = extension.field()
            order.insert(position, extension.name)
            position += 1
        self.order_fields(order)
        if editing:
            del self.fields["username"]
            del self.fields["send_link"]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    peran = forms.ChoiceField(
        label=_("Peran"),
        required=False,
        choices=[("", _("Semua peran")), *[(role.value, label) for role, label in ROLE_LABELS.items()]],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), ("aktif", _("Aktif")), ("nonaktif", _("Nonaktif"))],
    )


class ForgottenPasswordForm(PasswordResetForm):
    """Django's form with an Indonesian label, mailing through `people` (on commit, link on SITE_URL)."""

    email = forms.EmailField(
        label=_("Alamat email akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Isi alamat email."), "invalid": _("Alamat email tidak valid.")},
    )

    def save(self, *args, **kwargs) -> None:
        password_reset_request(email=self.cleaned_data["email"])
