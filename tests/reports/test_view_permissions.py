"""Who may open which report page: on placeholder rows (tests/reports/helpers.url_objects),
no demo and no WeasyPrint build. (Apart from tests/reports/test_views.py, whose tests share
one demo load.)"""

import pytest
from django.urls import reverse

from skm_portal.roles import Role


@pytest.mark.parametrize("role", [Role.PEMOHON, Role.BACKOFFICE, Role.DINAS_TEKNIS])
def test_outsiders_cannot_download_signed_reports(client_as, role):
    # The refusal is about the role, not the file: a placeholder signed version (no WeasyPrint build).
    from tests.reports.helpers import url_objects

    signed = url_objects()
    url = reverse("reports:version_download", kwargs={"report": signed["report"], "number": signed["number"]})
    assert client_as(role).get(url).status_code == 403
    assert client_as(Role.KEPALA_DINAS).get(url).status_code == 200  # the same URL opens for a reader


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonim")
def test_every_reports_url_answers_each_role_as_its_permission_says(client, make_user, role):
    from django.urls import get_resolver

    from skm_portal.permissions import ACTIONS
    from tests.followup.meeting_fixtures import make_fkp
    from tests.reports.helpers import url_objects

    objects = url_objects()
    objects["meeting"] = make_fkp(make_user(Role.PETUGAS_SKM, username="pencatat_rapat")).pk
    access = {
        "list": "reports.view",
        "create": "reports.edit",
        "detail": "reports.view",
        "edit": "reports.edit",
        "build_start": "reports.edit",
        "build_status": "reports.view",
        "build_download": "reports.view",
        "sign": "reports.sign",
        "version_download": "reports.view",
        "verify": "public",
        "verify_code": "public",
        "invitation_sign": "followup.sign",  # the letter's signer (reports/invitations.py)
        "invitation_pdf": "followup.view",  # before signing it leads to the draft
    }
    if role is not None:
        client.force_login(make_user(role))
    resolver = get_resolver()
    patterns = {p.name: p for p in resolver.namespace_dict["reports"][1].url_patterns}
    assert set(patterns) == set(access)
    for name, rule in access.items():
        kwargs = {key: objects[key] for key in patterns[name].pattern.converters}
        status = client.get(reverse(f"reports:{name}", kwargs=kwargs)).status_code
        if rule == "public":
            assert status == 200, name
        elif role is None:
            assert status == 302, name
        elif role in ACTIONS[rule]:
            assert status in {200, 302, 405}, (name, role, status)
        else:
            assert status == 403, (name, role, status)
