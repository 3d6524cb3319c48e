"""`manage.py skm_results`: JSON for scripts, the seed's table for people, Indonesian errors."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Questionnaire, Response, Service
from surveys.tallies import tallies_rebuild

# Hand-made responses. Codes not listed are left unanswered.
#   U1: 4, 3, 3      -> total 10, 3 answers, NRR 10/3 = 3.3333, index 83.33 (B)
#   U2: 4, 4, 3      -> total 11, 3 answers, NRR 11/3 = 3.6667, index 91.67 (A)
#   U3: 2, -, 3      -> total 5,  2 answers, NRR 5/2  = 2.5000, index 62.50 (D)
#   U4-U10: all 4    -> total 12, 3 answers, NRR 4.0000, index 100.00 (A)
#   U11: nobody      -> no NRR, no index
# IKM: equal weights 1/11; U11 unanswered, so the answered weights (10/11) are renormalised:
#   (10/3 + 11/3 + 5/2 + 7 * 4) / 10 * 25 = 37.5 / 10 * 25 = 93.75 (A, Sangat Baik).
IN_RANGE = [
    {"U1": 4, "U2": 4, "U3": 2},
    {"U1": 3, "U2": 4, "U3": None},
    {"U1": 3, "U2": 3, "U3": 3},
]
FULL = {f"U{i}": 4 for i in range(4, 11)}
EXPECTED = {
    "U1": (3, 10, "3.3333", "83.33", "B", "Baik"),
    "U2": (3, 11, "3.6667", "91.67", "A", "Sangat Baik"),
    "U3": (2, 5, "2.5000", "62.50", "D", "Tidak Baik"),
    **{f"U{i}": (3, 12, "4.0000", "100.00", "A", "Sangat Baik") for i in range(4, 11)},
}


@pytest.fixture
def hand_made(db):
    questionnaire = Questionnaire.active()
    fields = {e.code: e.field for e in questionnaire.elements.all()}
    loket = Service.objects.create(code="loket", name="Loket Perizinan", order=1)
    konsultasi = Service.objects.create(code="konsultasi", name="Konsultasi", order=2)

    def add(service, day, scores):
        Response.objects.create(
            questionnaire=questionnaire,
            service=service,
            survey_date=day,
            sex="L",
            **{fields[code]: value for code, value in scores.items()},
        )

    for number, scores in enumerate(IN_RANGE):
        add(loket, dt.date(2025, 3, 1 + number), {**scores, **FULL})
    # Outside the range (day before, day after) and another service inside it: all 1s.
    ones = dict.fromkeys(fields, 1)
    add(loket, dt.date(2025, 2, 28), ones)
    add(loket, dt.date(2025, 4, 1), ones)
    add(konsultasi, dt.date(2025, 3, 15), ones)
    tallies_rebuild()  # rows made directly, not through a service: count them
    return loket, konsultasi


def run(*args: str) -> str:
    out = StringIO()
    call_command("skm_results", *args, stdout=out)
    return out.getvalue()


def test_json_output_matches_hand_computation(hand_made):
    data = json.loads(run("--from", "2025-03-01", "--to", "2025-03-31", "--service", "loket", "--format", "json"))
    assert list(data) == [
        "from", "to", "service", "respondents", "elements", "ikm", "ikm_margin", "population", "grade", "performance",
    ]  # fmt: skip
    assert data["from"] == "2025-03-01" and data["to"] == "2025-03-31"
    assert data["service"] == "loket"
    assert data["respondents"] == 3
    assert [e["code"] for e in data["elements"]] == [f"U{i}" for i in range(1, 12)]
    for element in data["elements"]:
        assert set(element) == {"code", "name", "answers", "total", "nrr", "index", "margin", "grade", "performance"}
        if element["code"] == "U11":
            assert element["answers"] == 0
            assert element["nrr"] is None and element["index"] is None and element["grade"] is None
            continue
        answers, total, nrr, index, grade, performance = EXPECTED[element["code"]]
        assert (element["answers"], element["total"], element["nrr"], element["index"]) == (answers, total, nrr, index)
        assert (element["grade"], element["performance"]) == (grade, performance)
    assert data["elements"][0]["name"] == "Persyaratan"
    assert (data["ikm"], data["grade"], data["performance"]) == ("93.75", "A", "Sangat Baik")


def test_json_margins_match_hand_computation(hand_made):
    # 95 % margin = 25 x 1.96 x s / sqrt(n) = 49 x s / sqrt(n) (no population known).
    #   U1: 4, 3, 3 -> s^2 = 1/3, margin 49 x sqrt(1/3) / sqrt(3) = 49/3 = 16.33
    #   U3: 2, 3    -> s^2 = 1/2, margin 49 x sqrt(1/2) / sqrt(2) = 24.50
    #   U4: 4, 4, 4 -> no spread, 0.00; U11: nobody answered, no margin.
    # IKM: U11 is left out (nobody answered). Each respondent's total over the elements
    # they answered (sum a_i x_ij, a_i = 1): 4+4+2+28 = 38, 3+4+28 = 35, 3+3+3+28 = 37;
    # mean 110/3, s_T^2 = (16/9 + 25/9 + 1/9) / 2 = 7/3, sum a_i = 10 (U1-U10),
    #   margin 49 x sqrt(7/3) / 10 / sqrt(3) = 49 x sqrt(7) / 30 = 4.32.
    data = json.loads(run("--from", "2025-03-01", "--to", "2025-03-31", "--service", "loket", "--format", "json"))
    margins = {e["code"]: e["margin"] for e in data["elements"]}
    assert (margins["U1"], margins["U3"], margins["U4"], margins["U11"]) == ("16.33", "24.50", "0.00", None)
    assert (data["ikm_margin"], data["population"]) == ("4.32", None)
    # With 4 service users: fpc = sqrt((4-3)/(4-1)) for U1 -> 49/3 x sqrt(1/3) = 9.43; IKM
    # (n = 3): 49 x sqrt(7) / 30 x sqrt(1/3) = 2.49.
    data = json.loads(
        run("--from", "2025-03-01", "--to", "2025-03-31", "--service", "loket", "--format", "json", "--population", "4")
    )
    assert (data["elements"][0]["margin"], data["ikm_margin"], data["population"]) == ("9.43", "2.49", 4)


def test_json_without_service_pools_every_service(hand_made):
    data = json.loads(run("--from", "2025-03-01", "--to", "2025-03-31", "--format", "json"))
    assert data["service"] is None
    assert data["respondents"] == 4
    u1 = data["elements"][0]
    # 4 + 3 + 3 + 1 = 11 over 4 answers: NRR 2.75, index 68.75 (C).
    assert (u1["total"], u1["answers"], u1["nrr"], u1["index"], u1["grade"]) == (11, 4, "2.7500", "68.75", "C")


def test_json_half_up_rounding(db):
    # Index 88.305 exactly must print 88.31 (grade A), not 88.30 (float/banker's rounding).
    # U1 scores: 3.5322 x 25 = 88.305 -> 5000 answers summing to 17661.
    questionnaire = Questionnaire.active()
    field = questionnaire.elements.get(code="U1").field
    service = Service.objects.create(code="loket", name="Loket")
    rows = [4] * 2661 + [3] * 2339  # 10644 + 7017 = 17661
    Response.objects.bulk_create(
        Response(questionnaire=questionnaire, service=service, survey_date=dt.date(2025, 1, 2), sex="P", **{field: s})
        for s in rows
    )
    tallies_rebuild()
    data = json.loads(run("--from", "2025-01-01", "--to", "2025-01-31", "--format", "json"))
    u1 = data["elements"][0]
    assert (u1["total"], u1["answers"]) == (17661, 5000)
    assert (u1["nrr"], u1["index"], u1["grade"]) == ("3.5322", "88.31", "A")


def test_table_output_is_the_seed_layout(hand_made):
    text = run("--from", "2025-03-01", "--to", "2025-03-31", "--service", "loket", "--format", "table")
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Kode Unsur"))
    assert header.split() == ["Kode", "Unsur", "Unsur", "Index", "Mutu", "Pelayanan", "Kinerja"]
    u1 = next(line for line in lines if line.startswith("U1 "))
    assert u1.split() == ["U1", "Persyaratan", "83,33", "B", "Baik"]
    u3 = next(line for line in lines if line.startswith("U3 "))
    assert u3.split() == ["U3", "Waktu", "Pelayanan", "62,50", "D", "Tidak", "Baik"]
    ikm_line = next(line for line in lines if line.startswith("IKM"))
    assert ikm_line.split()[-4:] == ["93,75", "A", "Sangat", "Baik"]
    assert "Responden: 3" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-02-30", "--to", "2025-03-31"), "Tanggal tidak valid"),
        (("--from", "1 Maret 2025", "--to", "2025-03-31"), "Tanggal tidak valid"),
        (("--from", "2025-03-31", "--to", "2025-03-01"), "Tanggal akhir tidak boleh sebelum tanggal awal"),
        (("--from", "2025-03-01", "--to", "2025-03-31", "--service", "tidak-ada"), "tidak dikenal"),
    ],
)
def test_bad_input_is_an_indonesian_error(hand_made, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--format", "json")


def test_bad_input_exits_non_zero(hand_made, capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "skm_results", "--from", "x", "--to", "2025-03-31"])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
    assert "Tanggal tidak valid" in capsys.readouterr().err


def test_service_is_found_by_code_in_any_case_or_by_name_as_the_import_does(db, tmp_path):
    """An import with `layanan` NON_PERIZINAN creates the service; --service takes what the import took."""
    from .xlsx import IMPORT_HEADER, xlsx_file

    rows = [IMPORT_HEADER, ["2025-02-03", "NON_PERIZINAN", "L", 40, "SMA", "SWASTA", *[4] * 11, ""]]
    call_command("skm_import_responses", str(xlsx_file(tmp_path, rows)), "--create-missing-services", stdout=StringIO())
    created = Service.objects.get()
    for given in ("NON_PERIZINAN", created.code, created.code.upper(), created.name.lower()):
        data = json.loads(run("--from", "2025-02-01", "--to", "2025-02-28", "--service", given, "--format", "json"))
        assert (data["service"], data["respondents"], data["ikm"]) == (created.code, 1, "100.00"), given
