"""The respondents' profile tables (jenis kelamin, usia, pendidikan, pekerjaan, layanan).

Expected counts are tallied here from the raw rows with collections.Counter; the tables
must also equal what the five GROUP BYs before pandas gave (profile_before_pandas).
"""

import datetime as dt
import random
from collections import Counter

import pytest

from surveys import selectors
from surveys.models import Response, Service
from tests.factories import ResponseFactory, ServiceFactory

from .profile_before_pandas import respondent_profile as before_pandas

JULY = {"date_from": dt.date(2024, 7, 1), "date_to": dt.date(2024, 7, 31)}


def band(age):
    """The age band written out by hand: the form's bands, "" when not given."""
    if age is None:
        return ""
    for key, low, high in [("<20", 0, 19), ("20-29", 20, 29), ("30-39", 30, 39), ("40-49", 40, 49), ("50-59", 50, 59)]:
        if low <= age <= high:
            return key
    return ">=60"


@pytest.fixture
def respondents(db):
    """200 July respondents with varied answers (some left empty), and 5 in August."""
    rng = random.Random(20240701)
    loket, online = ServiceFactory(code="loket", order=1), ServiceFactory(code="online", order=2)
    ServiceFactory(code="lama", is_active=False)  # inactive and unused: not listed
    for day in range(200):
        ResponseFactory(
            service=rng.choice([loket, online]),
            survey_date=dt.date(2024, 7, 1 + day % 31),
            sex=rng.choice("LP"),
            age=rng.choice([None, 17, 19, 20, 29, 30, 45, 59, 60, 88]),
            education=rng.choice(["", *Response.Education.values]),
            occupation=rng.choice(["", "KARYAWAN", *Response.Occupation.values]),  # KARYAWAN: older data
        )
    for day in range(5):
        ResponseFactory(service=loket, survey_date=dt.date(2024, 8, 1 + day), sex="P", age=70)
    return loket


def as_dict(profile):
    return {table.key: {row.key: row.count for row in table.rows} for table in profile}


def test_counts_equal_a_tally_of_the_raw_rows(respondents):
    rows = list(
        Response.objects.filter(survey_date__month=7).values("sex", "age", "education", "occupation", "service")
    )
    profile = as_dict(selectors.respondent_profile(**JULY))

    def tally(values, known):
        counts = Counter(value if value in known else "" for value in values)
        return {key: counts.get(key, 0) for key in [*known, ""]}

    assert profile["sex"] == tally([r["sex"] for r in rows], ["L", "P"])
    ages = ["<20", "20-29", "30-39", "40-49", "50-59", ">=60"]
    assert profile["age"] == tally([band(r["age"]) for r in rows], ages)
    assert profile["education"] == tally([r["education"] for r in rows], Response.Education.values)
    assert profile["occupation"] == tally([r["occupation"] for r in rows], Response.Occupation.values)
    by_service = Counter(r["service"] for r in rows)
    codes = dict(Service.objects.values_list("pk", "code"))
    assert profile["service"] == {codes[pk]: n for pk, n in by_service.items()}
    assert sum(profile["age"].values()) == len(rows) == 200


def test_one_service_only_counts_and_lists_that_service(respondents):
    rows = Response.objects.filter(survey_date__month=7, service=respondents)
    profile = as_dict(selectors.respondent_profile(**JULY, service=respondents))
    assert profile["service"] == {"loket": rows.count()}
    assert profile["sex"]["P"] == rows.filter(sex="P").count()


def test_same_tables_as_before_pandas(respondents):
    for bounds in [JULY, {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}]:
        assert selectors.respondent_profile(**bounds) == before_pandas(**bounds)
        assert selectors.respondent_profile(**bounds, service=respondents) == before_pandas(
            **bounds, service=respondents
        )
    # A range without respondents: every category listed with 0.
    empty = {"date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 1, 31)}
    assert selectors.respondent_profile(**empty) == before_pandas(**empty)
    assert all(row.count == 0 for table in selectors.respondent_profile(**empty) for row in table.rows)


def test_demo_data_same_as_before_pandas(survey_demo):
    # The demo's computed periods hold 2025's respondents.
    year = {"date_from": dt.date(2025, 1, 1), "date_to": dt.date(2025, 12, 31)}
    profile = selectors.respondent_profile(**year)
    assert profile == before_pandas(**year)
    assert profile[0].total == Response.objects.filter(survey_date__year=2025).count() > 0
