"""Walk every URL pattern as an anonymous visitor and as each role; assert the exact answer.

Every named URL must appear in EXPECTED, so a new view without a decided permission fails
here. The role sets are written out by hand from skm_portal/permissions.py; the answer a
role gets (200, 302, 403, 404, 405, 410) is stated per URL.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from permits.complaint_services import complaint_file
from skm_portal.permissions import ACTIONS
from skm_portal.roles import Role
from surveys import kiosk
from surveys.models import Service, SurveyToken
from tests.followup.helpers import published_period
from tests.reports.helpers import url_objects as report_url_objects

# Who may, written out by hand from the permission table of skm_portal/permissions.py
# (read, not imported: a change to that table must show here as a failing cell).
A, S, B, KS, KB, DT, KD, P = (
    Role.ADMINISTRATOR,
    Role.PETUGAS_SKM,
    Role.BACKOFFICE,
    Role.KASI,
    Role.KABID,
    Role.DINAS_TEKNIS,
    Role.KEPALA_DINAS,
    Role.PEMOHON,
)
EVERY_ROLE = {A, S, B, KS, KB, DT, KD, P}
ADMIN = {A}
AUDIT = {A, KD}
RESULTS = {A, S, KS, KB, KD}  # surveys.view_results
EXPORT = {A, S, KD}  # surveys.export
SURVEY_ADMIN = {A, S}  # surveys.manage
KIOSK = {A, S, B}  # surveys.kiosk: the counter officers
FOLLOWUP_VIEW = {A, S, KS, KB, KD}
FOLLOWUP_MANAGE = {A, S, KS, KB}
HEAD = {KD}  # followup.sign, reports.sign
PERMIT_VIEW = {P, B, KS, KB, DT, KD}
APPLICANT = {P}
PROCESS = {B, KS, KB, DT, KD}
ANALYTICS = {B, KS, KB, KD, A, S}
REPORT_VIEW = {A, S, KS, KB, KD}
REPORT_EDIT = {A, S}
# Complaints carry the complainant's contact data: the office's officers only, not an agency.
COMPLAINT_OFFICERS = PROCESS - {DT}


class Public:
    """Anyone: `anonymous` is the answer to a visitor, `signed_in` to any signed-in role."""

    def __init__(self, anonymous: int, signed_in: int | None = None):
        self.anonymous, self.signed_in = anonymous, anonymous if signed_in is None else signed_in


class Guarded:
    """Visitors go to the login page (302), roles outside `who` get 403, `who` gets `code`."""

    def __init__(self, who: set, code: int):
        self.who, self.code = frozenset(who), code


def guarded(who, code, namespace, *names):
    return {f"{namespace}:{name}" if namespace else name: Guarded(who, code) for name in names}


def public(code, namespace, *names, signed_in=None):
    return {f"{namespace}:{name}" if namespace else name: Public(code, signed_in) for name in names}


# Per URL, the exact answer to a GET. 405: the URL takes only POST. 404 for a permit file
# or permit type: the walk's objects hold none, and nobody owns a file (each app's own tests
# cover a file's owner). 410: an activation link naming no account is gone.
EXPECTED = {
    **public(200, "", "home", "password_reset", "password_reset_done"),
    **public(200, "", "password_reset_confirm", "password_reset_complete"),
    **public(200, "", "login", signed_in=302),  # signed in: on to the dashboard
    **public(405, "", "logout"),
    **guarded(EVERY_ROLE, 200, "", "dashboard"),
    **guarded(ADMIN, 200, "", "office_edit", "people", "person_create", "person_edit"),
    **guarded(ADMIN, 405, "", "person_active", "person_password_link", "mail_retry"),
    **guarded(AUDIT, 200, "", "audit_log"),
    **public(200, "surveys", "public_results", "public_period", "service_list", "survey_form", "survey_token"),
    **public(200, "surveys", "survey_thanks", "service_poster", "service_poster_qr", "service_poster_pdf"),
    **guarded(RESULTS, 200, "surveys", "period_list", "period_results", "range_results", "response_list"),
    **guarded(EXPORT, 200, "surveys", "export_jobs", "export_responses_csv"),
    **guarded(EXPORT, 405, "surveys", "export_start", "export_retry"),
    **guarded(EXPORT, 404, "surveys", "export_download"),  # an officer downloads only their own job's file
    **guarded(
        SURVEY_ADMIN,
        200,
        "surveys",
        *("import_responses", "import_template", "service_manage", "service_edit"),
        *("period_manage", "period_create", "period_edit", "published_edit"),
    ),
    # The counter kiosk: a tablet's pages are public (its key is its pass), the officers' pages guarded.
    **public(200, "surveys", "kiosk_home", "kiosk_sw"),
    **public(405, "surveys", "kiosk_pair", "kiosk_start", "kiosk_send"),
    **public(403, "surveys", "kiosk_state"),  # answers only a paired tablet; a browser without its key: 403
    **guarded(KIOSK, 200, "surveys", "kiosk_counters", "kiosk_counter"),
    **guarded(KIOSK, 405, "surveys", "kiosk_counter_unlock"),
    **guarded(SURVEY_ADMIN, 405, "surveys", "kiosk_counter_pair", "kiosk_device_unpair"),
    **public(200, "lobby", "board", "board_parts", "we_act"),
    **guarded(SURVEY_ADMIN, 405, "surveys", "service_delete"),
    **guarded(FOLLOWUP_VIEW, 200, "followup", "overview", "period", "plans", "plan", "activity", "evidence_download"),
    **guarded(
        FOLLOWUP_VIEW,
        200,
        "followup",
        *("meetings", "meeting", "invitation", "invitation_pdf", "minutes", "minutes_pdf", "attendance"),
        *("attendance_pdf", "berita_acara", "berita_acara_pdf", "checkin_poster", "scan_download"),
    ),
    # Pages with a form (GET shows it, or a confirmation before deleting).
    **guarded(
        FOLLOWUP_MANAGE,
        200,
        "followup",
        *("activity_delete", "step_edit", "meeting_create", "meeting_edit", "letter_numbering"),
        *("minutes_edit", "berita_acara_edit", "recommendation_edit"),
    ),
    # Buttons: POST only.
    **guarded(
        FOLLOWUP_MANAGE,
        405,
        "followup",
        *("priorities_confirm", "plan_update", "activity_add", "activity_update", "activity_status"),
        *("activity_move", "step_add", "step_move", "step_delete", "evidence_upload", "evidence_link"),
        *("evidence_delete", "meeting_delete", "letter_number", "letter_number_correct", "invitee_group_add"),
        *("invitee_group_edit", "invitee_group_delete", "attendee_add", "attendee_delete", "attendee_strike"),
        *("checkin_toggle", "scan_upload", "scan_delete", "recommendation_add", "recommendation_status"),
        *("recommendation_delete", "representative_add", "representative_delete", "evidence_record"),
    ),
    **guarded(HEAD, 200, "reports", "invitation_sign"),
    **guarded(FOLLOWUP_VIEW, 302, "reports", "invitation_pdf"),  # not signed yet: on to the draft
    **public(200, "followup", "checkin", "fkp_monitoring", "fkp_monitoring_detail"),
    **public(200, "reports", "verify", "verify_code"),
    **guarded(REPORT_VIEW, 200, "reports", "list", "detail", "build_download", "version_download"),
    **guarded(REPORT_VIEW, 302, "reports", "build_status"),  # a finished build: on to the report
    **guarded(REPORT_EDIT, 200, "reports", "edit"),
    **guarded(REPORT_EDIT, 405, "reports", "create", "build_start"),
    **guarded(HEAD, 200, "reports", "sign"),
    **public(200, "permits", "register", signed_in=302),  # signed in: nothing to register
    **public(200, "permits", "register_sent"),
    **public(410, "permits", "register_activate"),
    **guarded(PERMIT_VIEW, 302, "permits", "index"),  # on to each role's own page
    **guarded(PERMIT_VIEW, 200, "permits", "monitoring"),
    **guarded(PERMIT_VIEW, 404, "permits", "detail", "document"),
    **guarded(APPLICANT, 200, "permits", "apply", "revision_list"),
    **guarded(APPLICANT, 404, "permits", "apply_form", "revision_form"),
    **guarded(PROCESS, 200, "permits", "queue"),
    **guarded(PROCESS, 405, "permits", "act"),
    **guarded(ANALYTICS, 200, "permits", "analytics", "analytics_export"),
    **public(200, "permits", "complaint_new", "complaint_status"),
    **guarded(COMPLAINT_OFFICERS, 200, "permits", "complaint_list", "complaint_detail"),
    **guarded(COMPLAINT_OFFICERS, 405, "permits", "complaint_act"),
    **guarded(ADMIN, 200, "permits", "days_off"),
    **guarded(ADMIN, 405, "permits", "day_off_delete"),
    **guarded(ADMIN, 200, "", "api_clients"),
    **guarded(ADMIN, 405, "", "api_client_revoke"),
    # The JSON API: keyed calls take only POST (405 to a GET); open data and the schema are public;
    # the API root names no page (django-ninja's interactive docs are off: they load from a CDN).
    **public(200, "api", "openapi-json", "open_periods", "open_period", "open_period_csv"),
    **public(405, "api", "finished_permit", "process_events"),
    **public(404, "api", "api-root"),
}


def expected_answer(name: str, role: Role | None) -> int:
    rule = EXPECTED[name]
    if isinstance(rule, Public):
        return rule.anonymous if role is None else rule.signed_in
    if role is None:
        return 302
    return rule.code if role in rule.who else 403


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin guards itself (is_staff)
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def objects(db):
    service = Service.objects.create(code="e-ptsp", name="Perizinan e-PTSP")
    period = published_period(
        "Triwulan III 2024", dt.date(2024, 7, 1), dt.date(2024, 9, 30), ["90"] * 10 + ["80"], respondents=100
    )
    token = SurveyToken.objects.create(service=service, reference="IZIN-1")
    objects = {"pk": period.pk, "code": service.code, "service": service.code, "token": token.token}
    objects.update(followup_objects(period))
    objects.update(report_url_objects())
    counter = kiosk.counter_save(actor=None, name="Loket 1", service=service)
    objects.update(counter=counter.pk, device=kiosk.kiosk_pairing_code_create(counter=counter, actor=None).pk)
    objects.update(person=get_user_model().objects.create_user(username="orang").pk, uidb64="MQ")
    complaint = complaint_file(name="Uji", email="uji@example.com", subject="Uji", description="Uji", notify=False)
    objects.update(key=complaint.token, complaint=complaint.pk)
    return objects


def followup_objects(period):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup.plans import evidence as evidence_services
    from followup.plans import services
    from tests.followup.helpers import PDF_BYTES
    from tests.followup.meeting_fixtures import meeting_url_objects

    # The services check the acting user's permission too: the records are made by an officer.
    officer = get_user_model().objects.create_user(username="pencatat")
    officer.groups.set([Group.objects.get(name=Role.PETUGAS_SKM.value)])
    plans = services.priorities_confirm(period=period, user=officer, codes=["U3"])
    plan = plans[0]
    activity = services.activity_add(plan=plan, user=officer, title="Evaluasi SOP")
    step = services.step_add(activity=activity, user=officer, description="Rapat evaluasi")
    evidence = evidence_services.evidence_upload(
        activity=activity, user=officer, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return {
        "period": period.pk,
        "plan": plan.pk,
        "activity": activity.pk,
        "step": step.pk,
        "evidence": evidence.pk,
        **meeting_url_objects(officer),
    }


# URLs whose `pk` names another object than the period (the walk's default `pk`).
PK_OF = {"permits:complaint_detail": "complaint", "permits:complaint_act": "complaint"}


def url_for(name, pattern, objects):
    default = objects[PK_OF.get(name, "pk")]
    kwargs = {key: objects.get(key, default) if key != "pk" else default for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def test_every_named_url_has_a_decided_access():
    names = {name for name, _ in named_patterns()}
    assert sorted(names - set(EXPECTED)) == [], "URL tanpa aturan akses di EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "aturan untuk URL yang tidak ada"


def test_the_role_sets_are_the_permission_tables():
    """The hand-written sets above against the table the product enforces, set by set."""
    assert ACTIONS == {
        "portal.dashboard": EVERY_ROLE,
        "portal.edit_office": ADMIN,
        "portal.manage_people": ADMIN,
        "portal.audit": AUDIT,
        "portal.mail_status": ADMIN,
        "portal.api_clients": ADMIN,
        "surveys.view_results": RESULTS,
        "surveys.manage": SURVEY_ADMIN,
        "surveys.export": EXPORT,
        "surveys.kiosk": KIOSK,
        "permits.apply": APPLICANT,
        "permits.process": PROCESS,
        "permits.view": PERMIT_VIEW,
        "permits.analytics": ANALYTICS,
        "permits.admin": ADMIN,
        "permits.complaints": COMPLAINT_OFFICERS,
        "followup.view": FOLLOWUP_VIEW,
        "followup.manage": FOLLOWUP_MANAGE,
        "followup.sign": HEAD,
        "reports.view": REPORT_VIEW,
        "reports.edit": REPORT_EDIT,
        "reports.sign": HEAD,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonim")
def test_walk_every_url_as_each_role(client, make_user, objects, role, pdf_once):
    if role is not None:
        client.force_login(make_user(role))
    wrong = {}
    for name, pattern in named_patterns():
        url = url_for(name, pattern, objects)
        status = client.get(url).status_code
        if status != expected_answer(name, role):
            wrong[name] = f"{url}: {status}, expected {expected_answer(name, role)}"
    assert wrong == {}
