"""The demo's computed periods show their margins on the pages and in the results report;
published aggregates show none. Expected values are computed here from the stored rows."""

from __future__ import annotations

import math
import re
import statistics
from decimal import Decimal

from django.urls import reverse

from skm_portal.roles import Role
from surveys.ikm import round_half_up
from surveys.models import Period, Questionnaire, Response


def independent_margins(period: Period) -> dict[str, str]:
    """{code: "± x,xx"} and "IKM" from the rows, by statistics.stdev (equal weights in the demo)."""
    layout = list(Questionnaire.active().elements.all())
    rows = list(Response.objects.filter(survey_date__range=(period.start_date, period.end_date)))
    N = period.service_users

    def margin(values: list[float]) -> str:
        n = len(values)
        value = 1.96 * statistics.stdev(values) / math.sqrt(n) * math.sqrt((N - n) / (N - 1))
        return "± " + f"{round_half_up(Decimal(repr(value)), 2):.2f}".replace(".", ",")

    out = {e.code: margin([25.0 * r.score(e) for r in rows if r.score(e) is not None]) for e in layout}
    complete = [r for r in rows if all(r.score(e) is not None for e in layout)]
    out["IKM"] = margin([25.0 * sum(r.score(e) for e in layout) / len(layout) for r in complete])
    return out


def cell(html: str, code: str) -> str:
    row = re.search(rf'<tr[^>]*data-code="{code}".*?</tr>', html, re.S).group(0)
    return re.search(r"<td class=\"num\" data-margin>(.*?)</td>", row, re.S).group(1).strip()


def test_officer_and_public_pages_show_margins_of_computed_periods(survey_demo, client_as):
    period = Period.objects.get(name="Semester I 2025")
    expected = independent_margins(period)
    client = client_as(Role.PETUGAS_SKM)
    html = client.get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    for code in ("U1", "U3", "U11", "IKM"):
        assert cell(html, code) == expected[code]
    assert f'data-figure="ikm-margin">{expected["IKM"]} (95 %)' in html
    public = client.get(reverse("surveys:public_period", args=[period.pk])).content.decode()
    assert cell(public, "IKM") == expected["IKM"]


def test_published_aggregates_show_no_margin(survey_demo, client_as):
    period = Period.objects.get(name="Semester I 2024")
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    assert "data-margin" not in html and "ikm-margin" not in html


def test_change_between_computed_periods_carries_a_verdict(survey_demo, client_as):
    period = Period.objects.get(name="Triwulan III 2025")
    html = client_as(Role.PETUGAS_SKM).get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    verdicts = re.findall(r'data-verdict="([^"]+)"', html)
    assert verdicts and set(verdicts) <= {"naik nyata", "turun nyata", "tidak berbeda nyata"}


def test_skm_results_json_of_a_demo_period_carries_its_margins(survey_demo):
    import json
    from io import StringIO

    from django.core.management import call_command

    period = Period.objects.get(name="Semester I 2025")
    expected = independent_margins(period)
    out = StringIO()
    call_command("skm_results", "--from", "2025-01-01", "--to", "2025-06-30", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["population"] == period.service_users
    assert "± " + data["ikm_margin"].replace(".", ",") == expected["IKM"]
    assert {e["code"]: "± " + e["margin"].replace(".", ",") for e in data["elements"]} == {
        code: value for code, value in expected.items() if code != "IKM"
    }
