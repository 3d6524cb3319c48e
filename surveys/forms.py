"""The public survey form, built from the active questionnaire.

One required choice per element (a-d, scoring 1-4) plus the respondent profile of
PermenPAN-RB 14/2017. Pendidikan and pekerjaan are required, as on the regulation's
sample questionnaire: the results are reported by them and a blank profile cannot be
followed up. Usia stays optional (not every official sample asks it).
"""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Element, Questionnaire, Response

ANSWER_LETTERS = "abcd"
HONEYPOT_FIELD = "website"


def answer_field_name(element: Element) -> str:
    return f"answer_{element.code.lower()}"


class _ProfileChoices(forms.Form):
    """The profile's radio questions, declared once and shared by every SurveyForm (see below)."""

    sex = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=Response.Sex.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih jenis kelamin."), "invalid_choice": _("Pilih jenis kelamin.")},
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=Response.Education.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih pendidikan terakhir."), "invalid_choice": _("Pilih pendidikan terakhir.")},
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"),
        choices=Response.Occupation.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih pekerjaan."), "invalid_choice": _("Pilih pekerjaan.")},
    )


PROFILE_CHOICES = _ProfileChoices.base_fields
_answer_fields_cache: dict[int, dict[str, forms.Field]] = {}


def _answer_message(number: int) -> str:
    return gettext("Pilih salah satu jawaban untuk pertanyaan %(number)d.") % {"number": number}


_answer_message_lazy = lazy(_answer_message, str)


def _answer_fields(questionnaire: Questionnaire) -> dict[str, forms.Field]:
    """One radio field per element, built once per questionnaire object (the cached
    active questionnaire is one object per process until it changes)."""
    key = id(questionnaire)
    cached = _answer_fields_cache.get(key)
    if cached is not None and cached["questionnaire"] is questionnaire:
        return cached["fields"]
    fields = {}
    for number, element in enumerate(sorted(questionnaire.elements.all(), key=lambda e: (e.order, e.code)), start=1):
        message = _answer_message_lazy(number)
        field = forms.TypedChoiceField(
            label=element.question,
            choices=[
                (str(score), f"{letter}. {label}")
                for score, (letter, label) in enumerate(zip(ANSWER_LETTERS, element.labels, strict=True), start=1)
            ],
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={"required": message, "invalid_choice": message},
        )
        field.element = element
        field.number = number
        fields[answer_field_name(element)] = field
    if len(_answer_fields_cache) > 8:  # questionnaires change a few times a year
        _answer_fields_cache.clear()
    _answer_fields_cache[key] = {"questionnaire": questionnaire, "fields": fields}
    return fields


class SurveyForm(forms.Form):
    """Answers and profile of one respondent. `cleaned_scores` maps element code -> 1..4.

    The radio fields (one per element, and the profile's sex, education, occupation) are
    built once and shared by every form instead of deep-copied per request: building and
    copying them was the largest Python cost of a submission. They are read-only here and
    their template renders them without changing them. The text fields, which crispy's
    filter decorates (it writes to the widget's attrs), stay per form as Django makes them.
    """

    age = forms.IntegerField(
        label=_("Usia (tahun)"),
        required=False,
        min_value=10,
        max_value=120,
        help_text=_("Boleh dikosongkan."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Isi usia dengan angka bulat, mis. 35."),
            "min_value": _("Usia paling rendah 10 tahun."),
            "max_value": _("Usia paling tinggi 120 tahun."),
        },
    )
    occupation_other = forms.CharField(
        label=_("Pekerjaan lainnya, sebutkan"),
        required=False,
        max_length=100,
        help_text=_("Diisi bila memilih Lainnya."),
        error_messages={"max_length": _("Paling banyak %(limit_value)d karakter.")},
    )
    suggestion = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=4000,
        help_text=_("Boleh dikosongkan."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Paling banyak %(limit_value)d karakter.")},
    )
    # Off-screen trap for bots; people never see or fill it.
    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}),
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        answer_fields = _answer_fields(questionnaire)
        self.elements: list[Element] = [field.element for field in answer_fields.values()]
        self._answer_names = set(answer_fields)
        # Questions first, then the profile, as on the paper form.
        own = self.fields
        self.fields = {
            **answer_fields,
            "sex": PROFILE_CHOICES["sex"],
            "age": own["age"],
            "education": PROFILE_CHOICES["education"],
            "occupation": PROFILE_CHOICES["occupation"],
            **{name: value for name, value in own.items() if name != "age"},
        }

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) of every error, in form order, for the list at the top."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for bound in self:
            for message in bound.errors:
                if bound.name in self._answer_names:
                    items.append((f"f-{bound.html_name}", str(message)))
                else:
                    items.append((f"f-{bound.html_name}", f"{bound.label}: {message}"))
        return items

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[answer_field_name(e)] for e in self.elements]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("occupation") == Response.Occupation.LAINNYA:
            if not cleaned.get("occupation_other", "").strip():
                self.add_error("occupation_other", _("Sebutkan pekerjaan Anda."))
        elif "occupation_other" in cleaned:
            cleaned["occupation_other"] = ""
        return cleaned

    @property
    def cleaned_scores(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[answer_field_name(e)] for e in self.elements}

    @property
    def cleaned_profile(self) -> dict:
        data = self.cleaned_data
        return {
            "sex": data["sex"],
            "age": data.get("age"),
            "education": data["education"],
            "occupation": data["occupation"],
            "occupation_other": data.get("occupation_other", "").strip(),
            "suggestion": data.get("suggestion", "").strip(),
        }
