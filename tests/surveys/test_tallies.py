"""Tallies: results read from them equal results computed from the rows, whatever the data;
every write path keeps them exact; the rebuild command finds and repairs differences."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from skm_portal.models import AuditEntry
from surveys import ikm, selectors, tallies
from surveys.importing import ImportRefused, responses_import
from surveys.models import Period, Questionnaire, Response, ResponseTally, Service
from surveys.services import TokenUnavailable, response_submit, survey_token_create
from surveys.tallies import TallyBatch, tallies_compare, tallies_rebuild

from .xlsx import IMPORT_HEADER, xlsx_file

START = dt.date(2025, 1, 1)
SEXES = ["L", "P"]
EDUCATIONS = ["", "SD", "SMA", "D4/S1", "S3"]
OCCUPATIONS = ["", "PNS", "SWASTA", "LAINNYA"]
CHANNELS = [Response.Channel.FORM, Response.Channel.IMPORT, Response.Channel.TOKEN]

a_response = st.fixed_dictionaries(
    {
        "day": st.integers(0, 40),
        "service_b": st.booleans(),
        "channel": st.sampled_from(CHANNELS),
        "sex": st.sampled_from(SEXES),
        "age": st.one_of(st.none(), st.integers(10, 120)),
        "education": st.sampled_from(EDUCATIONS),
        "occupation": st.sampled_from(OCCUPATIONS),
        "suggestion": st.sampled_from(["", "Antrean lama", "Ramah"]),
        # None: the element was not answered (older data, other questionnaires).
        "scores": st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=11, max_size=11),
    }
)


def age_band(age):
    if age is None:
        return ""
    for key, low, high in selectors.AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    raise AssertionError(age)


class TalliesEqualRowsTests(TestCase):
    """Brute force over the generated rows (Fractions, by hand) against the tally path."""

    @classmethod
    def setUpTestData(cls):
        cls.questionnaire = Questionnaire.active()
        cls.elements = list(cls.questionnaire.elements.all())
        # Unequal weights: the respondent moments use the smallest integer weights.
        for element, weight in zip(cls.elements, [1, 2, 1, 1, 3, 1, 1, 1, 1, 1, 2], strict=True):
            element.weight = Decimal(weight) / 2
            element.save(update_fields=["weight"])
        cls.a = Service.objects.create(code="a", name="Layanan A", order=1)
        cls.b = Service.objects.create(code="b", name="Layanan B", order=2)

    def store(self, rows):
        """Through the same TallyBatch the services use, one batch per call."""
        Response.objects.all().delete()
        ResponseTally.objects.all().delete()
        batch = TallyBatch()
        for row in rows:
            response = Response(
                questionnaire=self.questionnaire,
                service=self.b if row["service_b"] else self.a,
                survey_date=START + dt.timedelta(days=row["day"]),
                channel=row["channel"],
                sex=row["sex"],
                age=row["age"],
                education=row["education"],
                occupation=row["occupation"],
                suggestion=row["suggestion"],
            )
            for element, score in zip(self.elements, row["scores"], strict=True):
                setattr(response, element.field, score)
            response.save()
            batch.add_response(response)
        batch.apply()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(a_response, max_size=30), st.integers(0, 40), st.integers(0, 40), st.sampled_from([None, "a", "b"]))
    def test_results_profile_and_moments_equal_brute_force(self, rows, day1, day2, service_code):
        self.store(rows)
        low, high = sorted([day1, day2])
        bounds = {
            "date_from": START + dt.timedelta(days=low),
            "date_to": START + dt.timedelta(days=high),
            "service": Service.objects.get(code=service_code) if service_code else None,
        }
        chosen = [
            r
            for r in rows
            if low <= r["day"] <= high and (service_code is None or (r["service_b"] == (service_code == "b")))
        ]
        result = selectors.response_results(**bounds)

        weights = [Fraction(2 * e.weight) for e in self.elements]  # 1, 2, 1, 1, 3, ...: smallest integers
        assert result.respondents == len(chosen)
        for position, element in enumerate(result.elements):
            answered = [r["scores"][position] for r in chosen if r["scores"][position] is not None]
            assert element.total == sum(answered)
            assert element.answers == len(answered)
            assert self.elements[position].code == element.code
            assert element.nrr == (Fraction(sum(answered), len(answered)) if answered else None)
        squares = [sum(r["scores"][p] ** 2 for r in chosen if r["scores"][p] is not None) for p in range(11)]
        by_hand = [sum(int(w) * x for w, x in zip(weights, r["scores"], strict=True) if x is not None) for r in chosen]
        assert result.moments == ikm.Moments(n=len(chosen), total=sum(by_hand), squares=sum(t * t for t in by_hand))
        # Element squares reach ikm.compute through ElementTally.squares: recompute the IKM by hand too.
        answered_weight = sum((w for w, e in zip(weights, result.elements, strict=True) if e.answers), Fraction(0))
        if answered_weight:
            ikm_by_hand = (
                sum((w * e.nrr for w, e in zip(weights, result.elements, strict=True) if e.answers), Fraction(0))
                / answered_weight
                * 25
            )
            assert result.ikm == ikm_by_hand
        else:
            assert result.ikm is None
        stored = ResponseTally.objects.filter(survey_date__gte=bounds["date_from"], survey_date__lte=bounds["date_to"])
        if service_code:
            stored = stored.filter(service__code=service_code)
        for position, element in enumerate(self.elements):
            assert sum(getattr(t, f"{element.field}_squares") for t in stored) == squares[position]

        profile = {
            table.key: {row.key: row.count for row in table.rows} for table in selectors.respondent_profile(**bounds)
        }
        for key, field in (("sex", "sex"), ("education", "education"), ("occupation", "occupation")):
            for value, count in profile[key].items():
                assert count == sum(1 for r in chosen if r[field] == value)
        for value, count in profile["age"].items():
            assert count == sum(1 for r in chosen if age_band(r["age"]) == value)
        expected_services = {
            "a": sum(1 for r in chosen if not r["service_b"]),
            "b": sum(1 for r in chosen if r["service_b"]),
        }
        if service_code:
            expected_services = {service_code: expected_services[service_code]}
        assert profile["service"] == expected_services
        assert selectors.suggestion_count(**bounds) == sum(1 for r in chosen if r["suggestion"])
        # The per-batch upsert and a recount from the rows agree exactly.
        assert tallies_compare()[1] == []


class GradeBoundaryTests(TestCase):
    """At each grade boundary the index from the tallies rounds like the exact one.

    Every element gets the same scores, so the IKM is the NRR x 25: n answers summing to
    `total` put the index at total / n x 25 exactly (88.305 = 17661 / 5000 x 25).
    """

    N = 5000

    @classmethod
    def setUpTestData(cls):
        cls.questionnaire = Questionnaire.active()
        cls.service = Service.objects.create(code="loket", name="Loket")
        cls.fields = [e.field for e in cls.questionnaire.elements.all()]
        # The n answers are made once; each example sets their scores (inserting 5000 rows
        # per example was nearly all of this test's time).
        Response.objects.bulk_create(
            Response(
                questionnaire=cls.questionnaire,
                service=cls.service,
                survey_date=START,
                sex="L",
                **dict.fromkeys(cls.fields, 1),
            )
            for _ in range(cls.N)
        )
        cls.pks = list(Response.objects.order_by("pk").values_list("pk", flat=True))

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from([(17661, "A", "B"), (15321, "B", "C"), (13000, "C", "D")]), st.integers(-2, 2))
    def test_grade_at_the_boundary(self, boundary, step):
        total, upper, lower = boundary
        total += step
        n = self.N
        # k answers one higher than the base score give total = base x n + k.
        base = total // n
        k = total - base * n
        Response.objects.update(**dict.fromkeys(self.fields, base))
        Response.objects.filter(pk__in=self.pks[:k]).update(**dict.fromkeys(self.fields, base + 1))
        assert Response.objects.count() == n
        assert sum(Response.objects.values_list(self.fields[0], flat=True)) == total
        tallies_rebuild()
        result = selectors.response_results(date_from=START, date_to=START)
        exact = Fraction(total, n) * 25
        assert result.ikm == exact
        half_up = (exact * 100 + Fraction(1, 2)).__floor__() / Decimal(100)
        expected = (
            upper if half_up >= {"A": Decimal("88.31"), "B": Decimal("76.61"), "C": Decimal("65.00")}[upper] else lower
        )
        assert result.grade.letter == expected


pytestmark = pytest.mark.django_db
ANSWERS = [4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2]


def answers(questionnaire, scores=ANSWERS):
    return {e.code: s for e, s in zip(questionnaire.elements.all(), scores, strict=True)}


def bucket_sums(**filters) -> dict[str, int]:
    """A bucket's tally, its shards summed."""
    rows = ResponseTally.objects.filter(**filters)
    return {column: sum(getattr(row, column) for row in rows) for column in tallies.VALUE_COLUMNS}


def test_a_submission_counts_in_its_transaction():
    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="P", age=41,
                    education="S2", suggestion="Bagus")  # fmt: skip
    tally = ResponseTally.objects.get()
    assert (tally.survey_date, tally.service_id, tally.channel) == (timezone.localdate(), service.pk, "form")
    assert 0 <= tally.shard < tallies.SUBMISSION_SHARDS
    assert (tally.respondents, tally.suggestions, tally.sex_p, tally.age_4, tally.edu_s2, tally.occ_none) == (
        1, 1, 1, 1, 1, 1)  # fmt: skip
    u1 = questionnaire.elements.get(code="U1").field
    assert (getattr(tally, f"{u1}_total"), getattr(tally, f"{u1}_squares"), getattr(tally, f"{u1}_answers")) == (
        4,
        16,
        1,
    )
    assert (tally.resp_total, tally.resp_squares) == (sum(ANSWERS), sum(ANSWERS) ** 2)
    for _ in range(20):  # shards chosen at random: some land on the same row, some not
        response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="L")
    sums = bucket_sums(survey_date=timezone.localdate(), service=service)
    assert (sums["respondents"], sums["sex_l"], sums[f"{u1}_total"]) == (21, 20, 84)
    assert ResponseTally.objects.count() <= tallies.SUBMISSION_SHARDS
    assert tallies_compare()[1] == []


@pytest.mark.django_db(transaction=True)
def test_a_submission_outside_any_transaction_stores_row_and_count_together():
    """The public form calls the service outside a transaction; on PostgreSQL the tally and
    the INSERT then go as one statement string (one implicit transaction): a refused
    INSERT takes its count back with it."""
    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    same_device_answer = uuid.uuid4()
    response = response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="P",
                               age=41, suggestion="Cepat", client_id=same_device_answer)  # fmt: skip
    stored = Response.objects.get()
    assert response.pk == stored.pk and not response._state.adding
    u1 = questionnaire.elements.get(code="U1").field
    assert (stored.service_id, stored.sex, stored.age, stored.suggestion, getattr(stored, u1)) == (
        service.pk, "P", 41, "Cepat", 4)  # fmt: skip
    assert stored.survey_date == timezone.localdate() and stored.submitted_at is not None
    with pytest.raises(IntegrityError):  # client_id is unique: the INSERT fails after the tally's upsert
        response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="L",
                        client_id=same_device_answer)  # fmt: skip
    assert Response.objects.count() == 1
    sums = bucket_sums(service=service)
    assert (sums["respondents"], sums["sex_p"], sums["sex_l"], sums[f"{u1}_total"]) == (1, 1, 0, 4)
    assert tallies_compare()[1] == []


@pytest.mark.django_db(transaction=True)
def test_each_submission_sends_the_insert_django_would_compile_for_it():
    """The INSERT's text is compiled once and reused: every later submission must still
    send exactly the statement and values Django's compiler gives for that response."""
    from django.db import connection
    from django.db.models.sql import InsertQuery

    from surveys.services import _response_insert

    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    meta = Response._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    profiles = [
        {"sex": "P", "age": 41, "suggestion": "Cepat", "occupation": "LAINNYA", "occupation_other": "Petani"},
        {"sex": "L", "age": None, "education": "", "occupation": ""},
        {"sex": "L", "age": 70, "education": "S3", "occupation": "PNS", "client_id": uuid.uuid4()},
    ]
    for number, profile in enumerate(profiles):
        scores = {code: 1 + (number + i) % 4 for i, code in enumerate(sorted(answers(questionnaire)))}
        response = Response(questionnaire=questionnaire, service=service, survey_date=timezone.localdate(),
                            submitted_at=timezone.now(), **profile)  # fmt: skip
        for element in questionnaire.elements.all():
            setattr(response, element.field, scores[element.code])
        query = InsertQuery(Response)
        query.insert_values(fields, [response])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = [meta.pk]
        [(expected_sql, expected_params)] = compiler.as_sql()
        sql, params = _response_insert(response)
        assert (sql, list(params)) == (expected_sql, list(expected_params))
        stored = response_submit(questionnaire=questionnaire, service=service, scores=scores, **profile)
        again = Response.objects.get(pk=stored.pk)
        assert (again.sex, again.age, again.suggestion, again.occupation_other, again.client_id) == (
            profile["sex"], profile["age"], profile.get("suggestion", ""), profile.get("occupation_other", ""),
            profile.get("client_id"))  # fmt: skip
        assert [getattr(again, e.field) for e in questionnaire.elements.all()] == [
            scores[e.code] for e in questionnaire.elements.all()
        ]
    assert Response.objects.count() == len(profiles)
    assert tallies_compare()[1] == []


def test_a_refused_token_submission_counts_nothing():
    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    token = survey_token_create(service=service)
    response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="L", token=token)
    with pytest.raises(TokenUnavailable):
        response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="L",
                        token=token)  # fmt: skip
    assert bucket_sums(channel="token")["respondents"] == 1
    assert set(ResponseTally.objects.values_list("channel", flat=True)) == {"token"}


def import_row(date="2024-03-05", scores=ANSWERS, **profile):
    values = {"service": "loket", "sex": "L", "age": 30, "education": "SMA", "occupation": "SWASTA"} | profile
    return [date, values["service"], values["sex"], values["age"], values["education"], values["occupation"],
            *scores, values.get("suggestion")]  # fmt: skip


def test_an_import_adds_its_rows_and_a_refused_one_nothing(tmp_path):
    Service.objects.create(code="loket", name="Loket")
    good = xlsx_file(tmp_path, [IMPORT_HEADER, import_row(), import_row(date="2024-03-06", sex="P", age=None,
                                                                        suggestion="Cepat")], name="a.xlsx")  # fmt: skip
    responses_import(file=good)
    assert ResponseTally.objects.count() == 2
    assert sum(ResponseTally.objects.values_list("respondents", flat=True)) == 2
    assert tallies_compare()[1] == []
    bad = xlsx_file(
        tmp_path, [IMPORT_HEADER, import_row(date="2024-03-07"), import_row(scores=[5] * 11)], name="b.xlsx"
    )
    with pytest.raises(ImportRefused):
        responses_import(file=bad)
    assert ResponseTally.objects.count() == 2
    assert tallies_compare()[1] == []


def test_a_late_import_into_a_closed_period_is_shown(tmp_path):
    Service.objects.create(code="loket", name="Loket")
    period = Period.objects.create(name="Triwulan I 2024", kind="triwulan", start_date=dt.date(2024, 1, 1),
                                   end_date=dt.date(2024, 3, 31))  # fmt: skip
    responses_import(file=xlsx_file(tmp_path, [IMPORT_HEADER, import_row(scores=[4] * 11)], name="a.xlsx"))
    assert selectors.period_results(period).respondents == 1
    assert selectors.period_results(period).ikm == 100  # cached now
    responses_import(file=xlsx_file(tmp_path, [IMPORT_HEADER, import_row(scores=[1] * 11)], name="b.xlsx"))
    after = selectors.period_results(period)
    assert (after.respondents, after.ikm) == (2, Fraction(5, 2) / 4 * 100)
    bounds = {"date_from": period.start_date, "date_to": period.end_date}
    assert selectors.suggestion_count(**bounds) == 0  # cached for the closed range now
    responses_import(file=xlsx_file(tmp_path, [IMPORT_HEADER, import_row(suggestion="Antre")], name="c.xlsx"))
    assert selectors.suggestion_count(**bounds) == 1
    sexes = {row.key: row.count for row in selectors.respondent_profile(**bounds)[0].rows}
    assert sexes == {"L": 3, "P": 0, "": 0}


def test_rebuild_command_reports_and_repairs_differences():
    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    response_submit(questionnaire=questionnaire, service=service, scores=answers(questionnaire), sex="L")
    out = StringIO()
    call_command("skm_tallies_rebuild", "--check", stdout=out)
    assert "tidak ada selisih" in out.getvalue()

    u2 = questionnaire.elements.get(code="U2").field
    ResponseTally.objects.update(respondents=5, **{f"{u2}_total": 99})
    out = StringIO()
    with pytest.raises(CommandError, match="1 rekap berselisih"):
        call_command("skm_tallies_rebuild", "--check", stdout=out)
    assert "respondents 5 -> 1" in out.getvalue() and f"{u2}_total 99 -> 3" in out.getvalue()
    assert ResponseTally.objects.get().respondents == 5  # --check changes nothing

    out = StringIO()
    call_command("skm_tallies_rebuild", stdout=out)
    assert "1 rekap diperbaiki" in out.getvalue()
    assert ResponseTally.objects.get().respondents == 1
    assert AuditEntry.objects.filter(object_type="surveys.responsetally").count() == 1
    assert tallies_compare()[1] == []


def test_integer_weights():
    assert ikm.integer_weights([1, 1, 1]) == [1, 1, 1]
    assert ikm.integer_weights([Decimal("0.5"), Decimal("1.0"), Decimal("0.25")]) == [2, 4, 1]
    assert ikm.integer_weights([Decimal("0.3333"), Decimal("0.6667")]) == [3333, 6667]
    assert ikm.integer_weights([2, 4, 6]) == [1, 2, 3]


def test_saran_are_paged_on_the_range_page(client_as):
    from skm_portal.roles import Role
    from surveys.views.results import SUGGESTIONS_PER_PAGE

    questionnaire = Questionnaire.active()
    service = Service.objects.create(code="loket", name="Loket")
    day = dt.date(2025, 2, 3)
    total = SUGGESTIONS_PER_PAGE + 7
    Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            service=service,
            survey_date=day,
            sex="L",
            suggestion=f"Saran nomor {n:03d}",
            **{e.field: 3 for e in questionnaire.elements.all()},
        )
        for n in range(total)
    )
    tallies_rebuild()
    client = client_as(Role.PETUGAS_SKM)
    first = client.get("/skm/hasil/?dari=2025-02-01&sampai=2025-02-28").content.decode()
    assert "Saran nomor 000" in first and f"Saran nomor {SUGGESTIONS_PER_PAGE - 1:03d}" in first
    assert f"Saran nomor {SUGGESTIONS_PER_PAGE:03d}" not in first
    assert "Halaman 1 dari 2" in first and "saran=2#saran" in first
    second = client.get("/skm/hasil/?dari=2025-02-01&sampai=2025-02-28&saran=2").content.decode()
    assert f"Saran nomor {SUGGESTIONS_PER_PAGE:03d}" in second and f"Saran nomor {total - 1:03d}" in second
    assert "Saran nomor 000" not in second and "Halaman 2 dari 2" in second
    # A page number out of range or not a number shows the nearest page, never an error.
    assert "Halaman 2 dari 2" in client.get("/skm/hasil/?dari=2025-02-01&sampai=2025-02-28&saran=99").content.decode()
    assert "Halaman 1 dari 2" in client.get("/skm/hasil/?dari=2025-02-01&sampai=2025-02-28&saran=x").content.decode()
