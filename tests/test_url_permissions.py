"""Walk every URL pattern as an anonymous visitor and as each role.

Every named URL must appear in ACCESS, so a new view without a decided permission fails
here. "public" pages answer anyone; otherwise the value is the permission action and the
roles allowed are those of skm_portal.permissions.ACTIONS.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from permits.services import complaint_file
from skm_portal.permissions import ACTIONS
from skm_portal.roles import Role
from surveys.models import Service, SurveyToken
from tests.followup.conftest import published_period
from tests.reports.conftest import url_objects as report_url_objects

PUBLIC = "public"


class ObjectLevel(str):
    """An action whose object-level rule (own file, own agency) is tested by its app's matrix:
    here allowed roles only must not crash, since the walking user owns nothing."""


def rules(rule, namespace, *names):
    return {f"{namespace}:{name}": rule for name in names}


ACCESS = {
    "home": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,  # POST only; GET answers 405
    "dashboard": "portal.dashboard",
    "office_edit": "portal.edit_office",
    "people": "portal.manage_people",
    "person_create": "portal.manage_people",
    "person_edit": "portal.manage_people",
    "person_active": "portal.manage_people",
    "person_password_link": "portal.manage_people",
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "audit_log": "portal.audit",
    "mail_retry": "portal.mail_status",
    **rules(PUBLIC, "surveys", "public_results", "public_period", "service_list", "survey_form", "survey_token"),
    **rules(PUBLIC, "surveys", "survey_thanks", "service_poster", "service_poster_qr", "service_poster_pdf"),
    **rules("surveys.view_results", "surveys", "period_list", "period_results", "range_results", "response_list"),
    **rules("surveys.export", "surveys", "export_start", "export_jobs", "export_responses_csv"),
    **rules(ObjectLevel("surveys.export"), "surveys", "export_download", "export_retry"),  # own jobs only
    **rules(
        "surveys.manage",
        "surveys",
        *("import_responses", "import_template", "service_manage", "service_edit", "service_delete"),
        *("period_manage", "period_create", "period_edit", "published_edit"),
    ),
    **rules("followup.view", "followup", "overview", "period", "plans", "plan", "activity", "evidence_download"),
    **rules(
        "followup.manage",
        "followup",
        *("priorities_confirm", "plan_update", "activity_add", "activity_update", "activity_status"),
        *("activity_move", "activity_delete", "step_add", "step_edit", "step_move", "step_delete"),
        *("evidence_upload", "evidence_link", "evidence_delete"),
    ),
    **rules(PUBLIC, "followup", "checkin", "fkp_monitoring", "fkp_monitoring_detail"),
    **rules(
        "followup.view",
        "followup",
        *("meetings", "meeting", "invitation", "invitation_pdf", "minutes", "minutes_pdf", "attendance"),
        *("attendance_pdf", "berita_acara", "berita_acara_pdf", "checkin_poster", "scan_download"),
    ),
    **rules(
        "followup.manage",
        "followup",
        *("meeting_create", "meeting_edit", "meeting_delete", "letter_number", "invitee_group_add"),
        *(
            "invitee_group_edit",
            "invitee_group_delete",
            "minutes_edit",
            "attendee_add",
            "attendee_delete",
            "attendee_strike",
        ),
        *("checkin_toggle", "scan_upload", "scan_delete", "berita_acara_edit", "recommendation_add"),
        *("recommendation_edit", "recommendation_status", "recommendation_delete", "representative_add"),
        *("representative_delete", "evidence_record"),
        *("letter_number_correct", "letter_numbering"),
    ),
    **rules("followup.sign", "followup", "invitation_sign"),
    **rules(PUBLIC, "reports", "verify", "verify_code"),
    **rules("reports.view", "reports", "list", "detail", "build_status", "build_download", "version_download"),
    **rules("reports.edit", "reports", "create", "build_start", "edit"),
    **rules("reports.sign", "reports", "sign"),
    **rules(PUBLIC, "permits", "register", "register_sent", "register_activate"),
    **rules("permits.view", "permits", "index", "monitoring"),
    **rules(ObjectLevel("permits.view"), "permits", "detail", "document"),
    **rules("permits.apply", "permits", "apply", "revision_list"),
    **rules(ObjectLevel("permits.apply"), "permits", "apply_form", "revision_form"),
    **rules("permits.process", "permits", "queue"),
    **rules(ObjectLevel("permits.process"), "permits", "act"),
    **rules("permits.analytics", "permits", "analytics", "analytics_export"),
    **rules(PUBLIC, "permits", "complaint_new", "complaint_status"),
    **rules(ObjectLevel("permits.process"), "permits", "complaint_list", "complaint_detail", "complaint_act"),
    **rules("permits.admin", "permits", "days_off", "day_off_delete"),
}


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
    objects.update(person=get_user_model().objects.create_user(username="orang").pk, uidb64="MQ")
    objects["key"] = complaint_file(
        name="Uji", email="uji@example.com", subject="Uji", description="Uji", notify=False
    ).token
    return objects


def followup_objects(period):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup import services
    from tests.followup.conftest import PDF_BYTES
    from tests.followup.meeting_fixtures import meeting_url_objects

    officer = get_user_model().objects.create_user(username="pencatat")
    plans = services.priorities_confirm(period=period, user=officer, codes=["U3"])
    plan = plans[0]
    activity = services.activity_add(plan=plan, user=officer, title="Evaluasi SOP")
    step = services.step_add(activity=activity, user=officer, description="Rapat evaluasi")
    evidence = services.evidence_upload(activity=activity, user=officer, upload=SimpleUploadedFile("a.pdf", PDF_BYTES))
    return {
        "period": period.pk,
        "plan": plan.pk,
        "activity": activity.pk,
        "step": step.pk,
        "evidence": evidence.pk,
        **meeting_url_objects(officer),
    }


def url_for(name, pattern, objects):
    kwargs = {key: objects.get(key, objects["pk"]) for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def test_every_named_url_has_a_decided_access():
    missing = sorted(name for name, _ in named_patterns() if name not in ACCESS)
    assert missing == [], f"URL tanpa aturan akses di ACCESS: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonim")
def test_walk_every_url_as_each_role(client, make_user, objects, role):
    if role is not None:
        client.force_login(make_user(role))
    for name, pattern in named_patterns():
        rule = ACCESS[name]
        url = url_for(name, pattern, objects)
        status = client.get(url).status_code
        if rule == PUBLIC:
            # 410: an activation link the walk cannot know (it names no account) is gone.
            allowed = {200, 405, 302} | ({410} if name == "permits:register_activate" else set())
            assert status in allowed, f"{name} {url}: {status}"
            continue
        if role is None:
            assert status == 302, f"{name}: anonymous got {status}"
        elif role in ACTIONS[rule] and isinstance(rule, ObjectLevel):
            assert status in {200, 302, 403, 404, 405}, f"{name} as {role}: {status}"
        elif role in ACTIONS[rule]:
            assert status in {200, 302, 405}, f"{name} as {role}: {status}"
        else:
            assert status in {403, 404}, f"{name} as {role}: {status}"
