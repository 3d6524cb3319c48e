"""The olah-data recap recomputes, in any spreadsheet, exactly the IKM the results page shows.

One check always runs: the recap's cells read back with openpyxl and its IKM formula
(SUMPRODUCT of the NRR and weight columns, x 25) evaluated with exact fractions. The other
opens the file in LibreOffice (`soffice --headless --convert-to csv`), which recalculates
it, and compares the printed IKM with the results page to the last digit.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from skm_portal.roles import Role
from surveys import selectors
from surveys.ikm import round_half_up
from surveys.models import Period
from tests.surveys.test_exports import export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SUMPRODUCT = re.compile(r"^=SUMPRODUCT\(E(\d+):E(\d+),F(\d+):F(\d+)\)$")


@pytest.fixture
def computed_period(survey_demo):
    period = Period.objects.get(name="Semester I 2025")
    assert period.source == Period.Source.COMPUTED
    return period


@pytest.fixture
def officer(client_as):
    return client_as(Role.PETUGAS_SKM)


@pytest.fixture
def recap_bytes(computed_period, officer, settings):
    # The recap is an export job (run in the request here), downloaded when done.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = export(officer, "recap", f"periode={computed_period.pk}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def page_ikm(officer, period) -> str:
    """The IKM as the results page prints it ("87,08")."""
    html = officer.get(reverse("surveys:period_results", args=[period.pk])).content.decode()
    exact = selectors.period_results(period).ikm
    shown = str(round_half_up(exact, 2)).replace(".", ",")
    assert shown in html
    return shown


def test_recap_formulas_evaluate_exactly_to_the_apps_ikm(recap_bytes, computed_period, officer):
    sheet = load_workbook(io.BytesIO(recap_bytes)).active
    rows = {row[0].row: [cell.value for cell in row] for row in sheet.iter_rows() if row}
    ikm_number = next(n for n, row in rows.items() if row[0] == "IKM")
    match = SUMPRODUCT.match(rows[ikm_number][4])
    assert match, rows[ikm_number][4]
    first, last = int(match[1]), int(match[2])
    assert (int(match[3]), int(match[4])) == (first, last)
    assert [rows[n][0] for n in range(first, last + 1)] == [f"U{i}" for i in range(1, 12)]
    assert rows[ikm_number][7] == f"=E{ikm_number}*25"
    # Evaluate as a spreadsheet does, but exactly: the stored values are full precision.
    for n in range(first, last + 1):
        total, answers, nrr = rows[n][2], rows[n][3], rows[n][4]
        assert abs(Fraction(nrr) - Fraction(total, answers)) < Fraction(1, 10**12)
        assert abs(Fraction(rows[n][7]) - Fraction(total, answers) * 25) < Fraction(1, 10**10)
    weights = [Fraction(rows[n][5]) for n in range(first, last + 1)]
    assert abs(sum(weights) - 1) < Fraction(1, 10**12)  # not 0.9999
    index = sum(Fraction(rows[n][4]) * Fraction(rows[n][5]) for n in range(first, last + 1)) * 25
    exact = selectors.period_results(computed_period).ikm
    assert abs(index - exact) < Fraction(1, 10**9)
    assert str(round_half_up(index, 2)).replace(".", ",") == page_ikm(officer, computed_period)
    # Shown with the display formats, not stored rounded.
    assert sheet.cell(first, 5).number_format == "0.0000" and sheet.cell(ikm_number, 8).number_format == "0.00"


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_recomputes_the_results_page_ikm(recap_bytes, computed_period, officer, tmp_path):
    source = tmp_path / "olah-data.xlsx"
    source.write_bytes(recap_bytes)
    command = [
        SOFFICE,
        f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
        "--headless",
        "--convert-to",
        # CSV filter options: comma, double quotes, UTF-8, from line 1, ..., the 9th: cells as shown.
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
        "--outdir",
        str(tmp_path),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "olah-data.csv").read_text(encoding="utf-8").splitlines()))
    [ikm_row] = [row for row in rows if row and row[0] == "IKM"]
    shown = page_ikm(officer, computed_period)
    assert ikm_row[7].replace(".", ",") == shown  # the index, 2 decimals, recomputed by LibreOffice
    nrr = Fraction(selectors.period_results(computed_period).ikm) / 25
    assert ikm_row[4] == str(round_half_up(nrr, 4))
    weights = [row[5] for row in rows if row and re.fullmatch(r"U\d+", row[0])]
    assert weights == ["0.0909"] * 11  # displayed with 4 decimals, stored whole
