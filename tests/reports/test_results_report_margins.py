"""The results report prints each computed period's margins beside its indices."""

from __future__ import annotations

import re
import shutil

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from skm_portal.roles import Role
from surveys.models import Period
from tests.reports.helpers import pdf_pages
from tests.surveys.test_precision_display import independent_margins


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_results_report_pdf_shows_margins(survey_demo, client_as, tmp_path):
    period = Period.objects.get(name="Semester I 2025")
    expected = independent_margins(period)
    report = services.report_create(kind=Report.Kind.RESULTS, period=period)
    client = client_as(Role.PETUGAS_SKM)
    client.post(reverse("reports:build_start", args=[report.pk]), {"document_date": "2025-07-15"})
    build = report.builds.get()
    with build.file.open("rb") as handle:
        text = re.sub(r"\s+", " ", " ".join(pdf_pages(handle.read(), tmp_path, layout=False)))
    assert "± (95 %)" in text
    assert expected["IKM"] in text and expected["U3"] in text
