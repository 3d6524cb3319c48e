"""The screens: permissions per role, the path period -> priorities -> plan -> activity,
and the did-it-work column."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from followup import urls
from followup.models import Activity, FollowUpPlan, RealisationStep
from followup.plans import evidence as evidence_services
from followup.plans import services
from skm_portal.audit import audit_for
from skm_portal.permissions import ACTIONS
from skm_portal.roles import Role

from .helpers import TRIWULAN_III, published_period
from .meeting_fixtures import meeting_url_objects

pytestmark = pytest.mark.django_db

READ_VIEWS = {
    "overview", "period", "plans", "plan", "activity", "evidence_download",
    "meetings", "meeting", "invitation", "invitation_pdf", "minutes", "minutes_pdf", "attendance", "attendance_pdf",
    "berita_acara", "berita_acara_pdf", "checkin_poster", "scan_download",
}  # fmt: skip
# GET shows a form, POST writes
FORM_VIEWS = {
    "activity_delete", "step_edit", "meeting_create", "meeting_edit", "minutes_edit", "berita_acara_edit",
    "recommendation_edit", "letter_numbering",
}  # fmt: skip
PUBLIC_VIEWS = {"checkin", "fkp_monitoring", "fkp_monitoring_detail"}  # no login


@pytest.fixture
def objects(plan, activity, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import PDF_BYTES

    step = services.step_add(activity=activity, user=officer, description="Rapat evaluasi")
    evidence = evidence_services.evidence_upload(
        activity=activity, user=officer, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return {
        "period": plan.period_id,
        "plan": plan.pk,
        "activity": activity.pk,
        "step": step.pk,
        "evidence": evidence.pk,
        **meeting_url_objects(officer),
    }


def visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def all_urls(objects):
    for pattern in urls.urlpatterns:
        kwargs = {name: objects[name] for name in pattern.pattern.converters}
        yield pattern.name, reverse(f"followup:{pattern.name}", kwargs=kwargs)


def test_permission_table_has_the_follow_up_actions():
    assert ACTIONS["followup.view"] == {Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KASI, Role.KABID, Role.KEPALA_DINAS}
    assert ACTIONS["followup.manage"] == {Role.ADMINISTRATOR, Role.PETUGAS_SKM, Role.KABID, Role.KASI}


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonim")
def test_every_follow_up_url_as_each_role(client, make_user, objects, role, pdf_once):
    if role is not None:
        client.force_login(make_user(role))
    for name, url in all_urls(objects):
        status = client.get(url).status_code
        action = "followup.view" if name in READ_VIEWS else "followup.manage"
        if name in PUBLIC_VIEWS:
            assert status == 200, f"{name} ({role}): {status}"
        elif role is None:
            assert status == 302, f"{name}: anonymous got {status}"
        elif role in ACTIONS[action]:
            expected = {200} if name in READ_VIEWS | FORM_VIEWS else {405}
            assert status in expected, f"{name} as {role}: {status}"
        else:
            assert status == 403, f"{name} as {role}: {status}"


def test_viewer_cannot_write(client, make_user, plan):
    client.force_login(make_user(Role.KEPALA_DINAS))
    page = client.get(reverse("followup:plan", kwargs={"plan": plan.pk})).content.decode()
    assert "Tambah kegiatan" not in page
    response = client.post(reverse("followup:activity_add", kwargs={"plan": plan.pk}), {"title": "Diam-diam"})
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_the_whole_path_through_the_screens(client_as, tw3):
    client = client_as(Role.KABID)
    period_url = reverse("followup:period", kwargs={"period": tw3.pk})
    page = client.get(period_url).content.decode()
    # The proposal is pre-ticked: U3, U2, U5 (grade B in Triwulan III), shown with Indonesian numbers.
    ticked = re.findall(r'name="codes" value="(U\d+)"[^>]*checked', page)
    assert ticked == ["U3", "U2", "U5"]
    assert "81,52" in page and "turun 8,20 poin sejak Semester I 2024" in page

    response = client.post(
        reverse("followup:priorities_confirm", kwargs={"period": tw3.pk}),
        {"codes": ["U3", "U5"], "aturan": "combined", "jumlah": "3"},
    )
    assert response.status_code == 302
    plan = FollowUpPlan.objects.get(period=tw3, element_code="U3")
    assert set(FollowUpPlan.objects.values_list("element_code", flat=True)) == {"U3", "U5"}

    plan_url = reverse("followup:plan", kwargs={"plan": plan.pk})
    client.post(
        reverse("followup:plan_update", kwargs={"plan": plan.pk}),
        {
            "element_name": "Waktu Pelayanan",
            "time_frame": "Oktober - November",
            "person_in_charge": "Bidang Perizinan",
            "note": "",
        },
    )
    for title in ["Evaluasi Standar Pelayanan dan Standar Operasional Prosedur", "Monitoring dan evaluasi berkala"]:
        assert (
            client.post(reverse("followup:activity_add", kwargs={"plan": plan.pk}), {"title": title}).status_code == 302
        )
    first, second = plan.activities.order_by("position")
    client.post(reverse("followup:activity_move", kwargs={"activity": second.pk}), {"direction": "-1"})
    assert plan.activities.order_by("position").first().title == "Monitoring dan evaluasi berkala"

    activity_url = reverse("followup:activity", kwargs={"activity": first.pk})
    refused = client.post(
        reverse("followup:activity_status", kwargs={"activity": first.pk}), {"status": "done"}, follow=True
    )
    assert "belum dapat ditandai selesai" in refused.content.decode()
    client.post(
        reverse("followup:step_add", kwargs={"activity": first.pk}),
        {"description": "Menyelenggarakan rapat evaluasi", "started_on": "2024-11-11", "ended_on": ""},
    )
    client.post(reverse("followup:activity_status", kwargs={"activity": first.pk}), {"status": "done"})
    assert Activity.objects.get(pk=first.pk).is_done

    page = client.get(activity_url).content.decode()
    assert "11 November 2024" in page and "Menyelenggarakan rapat evaluasi" in page
    page = client.get(plan_url).content.decode()
    text = visible_text(page)
    assert "a. Monitoring dan evaluasi berkala" in text
    assert "b. Evaluasi Standar Pelayanan dan Standar Operasional Prosedur" in text
    assert "30 - 80 %" in page  # 1 of 2 activities done = 50 %
    assert "Riwayat perubahan" in page and "Status kegiatan" in page

    overview = client.get(reverse("followup:overview") + "?tahun=2024").content.decode()
    assert "Triwulan III 2024" in overview and "30 - 80 %" in overview


def test_invalid_step_dates_show_an_indonesian_message_and_save_nothing(client_as, activity):
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(
        reverse("followup:step_add", kwargs={"activity": activity.pk}),
        {"description": "Rapat", "started_on": "2024-11-11", "ended_on": "2024-11-01"},
    )
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal pelaksanaan." in response.content.decode()
    assert not RealisationStep.objects.exists()


def test_empty_priority_choice_is_refused(client_as, tw3):
    client = client_as(Role.PETUGAS_SKM)
    response = client.post(reverse("followup:priorities_confirm", kwargs={"period": tw3.pk}), {})
    assert "Pilih sekurang-kurangnya satu unsur prioritas." in response.content.decode()
    assert not FollowUpPlan.objects.exists()


def test_did_it_work_column_compares_with_the_next_period(client_as, plan):
    client = client_as(Role.KEPALA_DINAS)
    url = reverse("followup:plan", kwargs={"plan": plan.pk})
    assert "Menunggu hasil periode berikutnya" in client.get(url).content.decode()

    after = list(TRIWULAN_III)
    after[2] = "88.40"  # Waktu Pelayanan (U3) rises from 81,52 to 88,40
    after[4] = "84.00"  # Produk Layanan (U5) falls from 85,56
    published_period("Triwulan IV 2024", dt.date(2024, 10, 1), dt.date(2024, 12, 31), after)
    page = client.get(url).content.decode()
    assert "+6,88" in page and "Membaik" in page and "dibanding Triwulan IV 2024" in page

    u5 = FollowUpPlan.objects.get(period=plan.period, element_code="U5")
    page = client.get(reverse("followup:plan", kwargs={"plan": u5.pk})).content.decode()
    assert "\u22121,56" in page and "Menurun" in page


def test_audit_log_is_shown_on_the_plan_page(client_as, plan, officer):
    services.activity_add(plan=plan, user=officer, title="Monitoring dan evaluasi berkala")
    [entry] = [entry for entry in audit_for(plan) if entry.action == "activity_added"]
    page = client_as(Role.KASI).get(reverse("followup:plan", kwargs={"plan": plan.pk})).content.decode()
    assert "Kegiatan a. Monitoring dan evaluasi berkala ditambahkan." in page
    assert "petugas_test" in page
    from django.utils import timezone
    from django.utils.formats import date_format

    assert date_format(timezone.localtime(entry.at), "j F Y H.i") + " WITA" in page


def test_templates_have_no_inline_script_or_style():
    for path in (Path(settings.BASE_DIR) / "templates" / "followup").glob("*.html"):
        text = path.read_text()
        assert "<script" not in text, path
        assert "style=" not in text, path


def test_fkp_page_overview_and_numbering_are_free_of_duplicate_ids_and_raw_lt(client_as, objects):
    from tests.html_checks import html_problems

    client = client_as(Role.PETUGAS_SKM)
    for url in (
        reverse("followup:meeting", kwargs={"meeting": objects["meeting"]}),
        reverse("followup:overview"),
        reverse("followup:letter_numbering"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert html_problems(response.content.decode()) == [], url
    found = html_problems('<p id="a">1 < 2</p><p id="a">1 &lt; 2</p>')
    assert found[0] == "duplicate id 'a' (2x)" and found[1].startswith("raw '<'") and len(found) == 2


def test_priorities_without_activities_count_as_zero_percent_on_the_pages(client_as, plan, officer):
    from html import unescape

    from followup.plans import services

    client = client_as(Role.PETUGAS_SKM)
    page = unescape(visible_text(client.get(reverse("followup:plan", kwargs={"plan": plan.pk})).content.decode()))
    assert "< 30 % Belum ada kegiatan (0,0 %)" in page
    activity = services.activity_add(plan=plan, user=officer, title="Evaluasi SOP")
    services.step_add(activity=activity, user=officer, description="SOP dievaluasi")
    services.activity_set_status(activity=activity, user=officer, status="done")
    overview = unescape(visible_text(client.get(reverse("followup:overview")).content.decode())).replace(" ;", ";")
    # The year: the first plan's one activity done, the second priority (U5) without activities.
    assert "30 - 80 % 1 dari 1 kegiatan selesai; 1 prioritas belum berkegiatan (50,0 %)" in overview
