"""Writes of survey data: a respondent's submission and one-time survey links."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ikm
from .ikm import MAX_SCORE, MIN_SCORE
from .models import Questionnaire, Response, Service, SurveyToken
from .tallies import SUBMISSION_SHARDS, TallyBatch


class TokenUnavailable(Exception):
    """A one-time link that cannot take a response (any more)."""

    USED = "used"
    EXPIRED = "expired"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def survey_date_of(moment: dt.datetime) -> dt.date:
    """The survey date of a submission: its calendar date in the office's zone (WITA)."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def survey_token_check(token: SurveyToken, *, now: dt.datetime | None = None) -> None:
    """Raise TokenUnavailable if the link was used or has expired."""
    now = now or timezone.now()
    if token.used_at is not None:
        raise TokenUnavailable(TokenUnavailable.USED)
    if token.expires_at <= now:
        raise TokenUnavailable(TokenUnavailable.EXPIRED)


def _token_redeem(token: SurveyToken, *, now: dt.datetime) -> None:
    """Mark the token used, or raise; must run inside the transaction of the insert.

    The conditional UPDATE is the whole guard: on PostgreSQL a concurrent redeemer blocks
    on the row lock, then re-checks `used_at IS NULL` against the committed row and
    updates nothing; SQLite serialises writers (IMMEDIATE transactions). The unique
    one-to-one `Response.token` is the last line of defence.
    """
    claimed = SurveyToken.objects.filter(pk=token.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if claimed != 1:
        current = SurveyToken.objects.get(pk=token.pk)
        survey_token_check(current, now=now)
        raise TokenUnavailable(TokenUnavailable.USED)  # pragma: no cover - expired/used covers every case
    token.used_at = now


_insert_sql: dict[tuple[str, str], str] = {}


@functools.lru_cache(maxsize=64)
def _integer_weights(weights: tuple) -> tuple[int, ...]:
    """`ikm.integer_weights`, kept per questionnaire's weights (every submission asks)."""
    return tuple(ikm.integer_weights(weights))


def _response_insert(response: Response) -> tuple[str, list]:
    """The (sql, params) of the INSERT ... RETURNING id that `save(force_insert=True)`
    would send for `response`: the fields, their pre_save values prepared for the
    database, in the same order. Its text is the same for every plain-valued response,
    so it is compiled once per connection (compiling it cost more than sending it); a
    value that is an expression is compiled afresh."""
    meta = Response._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    key = (connection.alias, connection.vendor)
    sql = _insert_sql.get(key)
    if sql is not None:
        values = [field.pre_save(response, True) for field in fields]
        if not any(hasattr(value, "resolve_expression") for value in values):
            return sql, [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]
    query = InsertQuery(Response)
    query.insert_values(fields, [response])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    plain = not any(
        hasattr(field, "get_placeholder") or hasattr(getattr(response, field.attname), "resolve_expression")
        for field in fields
    )
    if plain:
        _insert_sql[key] = sql
    return sql, list(params)


def _insert_with_tally(response: Response, tally: tuple[str, list]) -> None:
    """Upsert the tally and INSERT the response in one round trip and one transaction.

    PostgreSQL runs a query string of several statements, sent outside a transaction, as
    one implicit transaction: both commit, or neither (a failing INSERT undoes the tally).
    This saves the BEGIN, the second statement's and the COMMIT's round trips of
    `transaction.atomic()`, which on the public form cost more than the INSERT itself.
    The INSERT is the one Django's `save(force_insert=True)` would send (same fields,
    same pre_save values), last, so its RETURNING id is the result psycopg2 reads.
    """
    insert_sql, insert_params = _response_insert(response)
    tally_sql, tally_params = tally
    with connection.cursor() as cursor:
        cursor.execute(f"{tally_sql}; {insert_sql}", [*tally_params, *insert_params])
        response.pk = cursor.fetchone()[0]
    response._state.adding = False
    response._state.db = connection.alias


def response_submit(
    *,
    questionnaire: Questionnaire,
    service: Service,
    scores: Mapping[str, int],
    sex: str,
    age: int | None = None,
    education: str = "",
    occupation: str = "",
    occupation_other: str = "",
    suggestion: str = "",
    channel: str = Response.Channel.FORM,
    token: SurveyToken | None = None,
    submitted_at: dt.datetime | None = None,
    counter=None,
    client_id=None,
) -> Response:
    """Store one respondent's answers and return the saved Response.

    `scores` maps every element code of `questionnaire` to 1..4; a missing, extra or out
    of range answer raises ValidationError and stores nothing. The survey date is the
    submission's date in WITA. With `token`, the link is redeemed in the same
    transaction (TokenUnavailable if it was used or expired; nothing is stored then),
    and the response is filed under the token's service. `counter` and `client_id` (the
    UUID a kiosk tablet made for the answer, unique) tag a kiosk answer. The response and
    its tally commit together or not at all (outside a transaction on PostgreSQL as one
    two-statement round trip, `_insert_with_tally`; otherwise in `transaction.atomic()`).
    """
    submitted_at = submitted_at or timezone.now()
    elements = list(questionnaire.elements.all())
    codes = {e.code for e in elements}
    errors: list[str] = []
    unknown = sorted(set(scores) - codes)
    if unknown:
        errors.append(_("Unsur tidak dikenal pada kuesioner ini: %(codes)s.") % {"codes": ", ".join(unknown)})
    for element in sorted(elements, key=lambda e: (e.order, e.code)):
        value = scores.get(element.code)
        if value is None:
            errors.append(_("Pertanyaan %(name)s belum dijawab.") % {"name": element.name})
        elif isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
            errors.append(_("Jawaban pertanyaan %(name)s tidak sah.") % {"name": element.name})
    if errors:
        raise ValidationError(errors)
    if token is not None:
        service = token.service
        channel = Response.Channel.TOKEN

    response = Response(
        questionnaire=questionnaire,
        service=service,
        survey_date=survey_date_of(submitted_at),
        submitted_at=submitted_at,
        channel=channel,
        sex=sex,
        age=age,
        education=education,
        occupation=occupation,
        occupation_other=occupation_other if occupation == Response.Occupation.LAINNYA else "",
        suggestion=suggestion,
        counter=counter,
        client_id=client_id,
    )
    for element in elements:
        setattr(response, element.field, scores[element.code])
    # Foreign keys are model instances in hand; the token's uniqueness is guarded below.
    # Its one constraint (a unique source id) concerns imports only: a submission has none,
    # and checking it costs a query per submission.
    response.full_clean(
        exclude=["questionnaire", "service", "token", "counter", "client_id"], validate_constraints=False
    )
    weights = _integer_weights(tuple(e.weight for e in elements))
    tally = TallyBatch(
        layouts={questionnaire.pk: [(e.field, a) for e, a in zip(elements, weights, strict=True)]},
        shard=random.randrange(SUBMISSION_SHARDS),  # noqa: S311 - spreads row locks, not a secret
    )
    tally.add_response(response)
    if token is None and connection.vendor == "postgresql" and not connection.in_atomic_block:
        statement = tally.statement()
        if statement is not None:
            _insert_with_tally(response, statement)
            return response
    with transaction.atomic():
        if token is not None:
            _token_redeem(token, now=submitted_at)
            response.token = token
        response.save(force_insert=True)
        tally.apply()  # the response and its count commit together, or neither
    return response


def survey_token_create(*, service: Service, reference: str = "", valid_days: int | None = None) -> SurveyToken:
    """A new one-time survey link for `service` (e.g. a finished permit file `reference`)."""
    token = SurveyToken(service=service, reference=reference)
    if valid_days is not None:
        token.expires_at = timezone.now() + dt.timedelta(days=valid_days)
    token.full_clean()
    with transaction.atomic():
        token.save(force_insert=True)
    return token
