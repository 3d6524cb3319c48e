"""Plain helpers of the permit tests (files, WITA moments, the ordinary path); fixtures live in conftest."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from permits.calendar import WITA
from permits.services import permit_apply, permit_transition
from permits.workflow import Action, Step
from skm_portal.roles import Role
from tests.factories import AgencyFactory, AgencyMembershipFactory, PermitTypeFactory, ServiceFactory, UserFactory

# The smallest file the upload policy accepts as a PDF: header, one object, trailer, %%EOF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="dokumen.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def at(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=WITA)


def documents_for(kind, *, mandatory_only=True):
    return {
        doc.pk: pdf(f"{doc.pk}.pdf") for doc in kind.required_documents.all() if doc.is_mandatory or not mandatory_only
    }


# The ordinary path of a file with a dinas teknis: (from step, action, role).
PATH = [
    (Step.VERIFIKASI_PENDAFTARAN, Action.VERIFY_REGISTRATION, Role.BACKOFFICE),
    (Step.VERIFIKASI_IZIN, Action.FORWARD_TO_AGENCY, Role.BACKOFFICE),
    (Step.PERTIMBANGAN_DINAS_TEKNIS, Action.AGENCY_APPROVE, Role.DINAS_TEKNIS),
    (Step.PROSES_BACKOFFICE, Action.BACKOFFICE_COMPLETE, Role.BACKOFFICE),
    (Step.VALIDASI_KASI, Action.KASI_APPROVE, Role.KASI),
    (Step.VALIDASI_KABID, Action.KABID_APPROVE, Role.KABID),
    (Step.PENETAPAN, Action.ISSUE, Role.KEPALA_DINAS),
]
NEXT = {source: (action, role) for source, action, role in PATH}


# The builders behind the fixtures of conftest.py (also for a module that builds the same world
# once and holds it: tests/permits/test_permissions.py).
def new_survey_service():
    return ServiceFactory(code="e-ptsp", name="Perizinan dan Non Perizinan (e-PTSP)")


def new_agency():
    return AgencyFactory(name="Badan Pertanahan", short_name="BPN")


def new_other_agency():
    return AgencyFactory(name="Dinas Energi dan Sumber Daya Mineral", short_name="ESDM")


def new_water_permit(agency, survey_service):
    return PermitTypeFactory(
        name="Izin Pengambilan dan Pemanfaatan Air Tanah",
        code="air-tanah",
        service_days=10,
        agency=agency,
        survey_service=survey_service,
        documents=["KTP Pemohon", "Peta Lokasi Sumur", ("Foto Lokasi", False)],
    )


def new_simple_permit(survey_service):
    return PermitTypeFactory(
        name="Izin Penyelenggaraan Reklame", code="reklame", service_days=3, survey_service=survey_service
    )


def new_people(agency, other_agency) -> dict:
    """One user per role (username: the role's value); the dinas teknis users belong to different agencies."""
    users = {role: UserFactory(username=role.value, roles=[role]) for role in Role}
    users[Role.PEMOHON].email = "pemohon@example.com"
    users[Role.PEMOHON].first_name = "Test"
    users[Role.PEMOHON].last_name = "Dev"
    users[Role.PEMOHON].save()
    users["other_pemohon"] = UserFactory(username="pemohon_lain", roles=[Role.PEMOHON])
    users["other_agency"] = UserFactory(username="dinas_lain", roles=[Role.DINAS_TEKNIS])
    AgencyMembershipFactory(user=users[Role.DINAS_TEKNIS], agency=agency)
    AgencyMembershipFactory(user=users["other_agency"], agency=other_agency)
    return users


def submit(people, kind, *, applicant=None, now=None, **extra):
    return permit_apply(
        applicant=applicant or people[Role.PEMOHON],
        permit_type=kind,
        documents=documents_for(kind),
        declaration=True,
        now=now,
        **extra,
    )


def walk(people, permit, until, *, start=None, step_hours=1):
    """Walk a file with a dinas teknis along the ordinary path until the step `until`."""
    moment = start
    while permit.step != until:
        action, role = NEXT[Step(permit.step)]
        if moment is not None:
            moment += dt.timedelta(hours=step_hours)
        permit = permit_transition(permit=permit, action=action, actor=people[role], now=moment, notify=False)
    return permit
