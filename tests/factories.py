"""factory_boy factories for the rows tests build again and again.

Each factory saves a valid row with the fewest fields a test has to name; a test states
only what it is about (`ResponseFactory(sex="P", age=None)`). Users get their roles as
a list: `UserFactory(roles=[Role.KASI])`. The role groups and the default questionnaire
come from the data migrations, so the factories look them up instead of creating them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from permits.models import Agency, AgencyMembership, PermitType, RequiredDocument
from surveys.models import Period, PublishedElementResult, Questionnaire, Response, Service
from surveys.tallies import TallyBatch

PASSWORD = "rahasia-123"


class UserFactory(factory.django.DjangoModelFactory):
    """A user in the role groups named by `roles` (a list of Role), password PASSWORD."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=role.value) for role in extracted])


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.LazyAttribute(lambda service: f"Layanan {service.code}")


class ResponseFactory(factory.django.DjangoModelFactory):
    """One respondent on the active questionnaire; every element scored `score` (4 unless told)."""

    class Meta:
        model = Response

    class Params:
        score = 4

    questionnaire = factory.LazyFunction(Questionnaire.active)
    service = factory.SubFactory(ServiceFactory)
    survey_date = dt.date(2024, 7, 15)
    sex = Response.Sex.L
    age = 35
    education = Response.Education.SMA
    occupation = Response.Occupation.SWASTA

    @classmethod
    def _create(cls, model_class, *args, score=4, **kwargs):
        questionnaire = kwargs["questionnaire"]
        for element in questionnaire.elements.all():
            kwargs.setdefault(element.field, score)
        response = super()._create(model_class, *args, **kwargs)
        # Counted like a submission: results read the exact tallies (surveys.tallies).
        tally = TallyBatch()
        tally.add_response(response)
        tally.apply()
        return response


# The names of the eleven elements of PermenPAN-RB 14/2017, U1..U11.
ELEMENT_NAMES = [
    "Persyaratan", "Prosedur", "Waktu Pelayanan", "Biaya/Tarif", "Produk Layanan", "Kompetensi Pelaksana",
    "Perilaku Pelaksana", "Sarana dan Prasarana", "Penanganan Pengaduan", "Transparansi Pelayanan",
    "Integritas Petugas Pelayanan",
]  # fmt: skip


class PublishedPeriodFactory(factory.django.DjangoModelFactory):
    """A period whose results were published elsewhere: one entered index per element.

    `indices` (11 decimal strings, U1..U11) defaults to 90 for every element.
    """

    class Meta:
        model = Period
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Triwulan {n} 2024")
    kind = Period.Kind.TRIWULAN
    start_date = dt.date(2024, 7, 1)
    end_date = dt.date(2024, 9, 30)
    source = Period.Source.PUBLISHED
    published_respondents = 100

    @factory.post_generation
    def indices(self, create, extracted, **kwargs):
        if not create:
            return
        for order, (name, value) in enumerate(zip(ELEMENT_NAMES, extracted or ["90"] * 11, strict=True), start=1):
            PublishedElementResult.objects.create(
                period=self, code=f"U{order}", name=name, index=Decimal(value), order=order
            )


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Dinas Teknis {n}")
    short_name = factory.Sequence(lambda n: f"DT{n}")


class AgencyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


class PermitTypeFactory(factory.django.DjangoModelFactory):
    """A permit type with `documents` required, in that order: names, or (name, mandatory)
    pairs for an optional one; KTP Pemohon unless told."""

    class Meta:
        model = PermitType
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Izin Uji {n}")
    code = factory.Sequence(lambda n: f"izin-uji-{n}")
    service_days = 5
    survey_service = factory.SubFactory(ServiceFactory, code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if create:
            for order, document in enumerate(["KTP Pemohon"] if extracted is None else extracted, start=1):
                name, mandatory = (document, True) if isinstance(document, str) else document
                RequiredDocument.objects.create(permit_type=self, name=name, order=order, is_mandatory=mandatory)
