"""A kiosk tablet's answers: the signed start token and the guarded submission.

The minimum time per response is checked twice. The tablet measures how long the
respondent took and sends it (`duration_ms`); the server also signs the moment the form
was opened into a *start token* the tablet must send back with the answer, so a script
that skips the tablet's clock still cannot store an answer sooner than the minimum after
asking for the form. The token names the answer's own id (a UUID made by the tablet), so
one token stores one answer, and an answer sent again after a dropped connection finds
its id already stored and counts once.

A tablet that is offline when a form opens uses a token it fetched earlier (a spare);
such a token is only older, never younger, so the server's check still holds.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .kiosk import open_unlock
from .kiosk_models import Counter, KioskDevice, KioskUnlock
from .models import Questionnaire, Response
from .services import response_submit, survey_date_of

START_SALT = "surveys.kiosk.start"
TICKET_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


def parse_client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("Id jawaban dari perangkat tidak sah.")) from None


def normalise_ticket(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def kiosk_start_token(*, device: KioskDevice, client_id: uuid.UUID, now: float | None = None) -> str:
    """A signed statement "device D opened the form for answer C at time T" (ms)."""
    issued = int((now if now is not None else time.time()) * 1000)
    return signing.dumps({"d": device.pk, "c": str(client_id), "t": issued}, salt=START_SALT, compress=False)


def _start_time(token: str, *, device: KioskDevice, client_id: uuid.UUID) -> dt.datetime:
    try:
        data = signing.loads(token, salt=START_SALT)
    except (signing.BadSignature, TypeError):
        raise ValidationError(_("Tanda mulai pengisian tidak sah; muat ulang kiosk.")) from None
    if data.get("d") != device.pk or data.get("c") != str(client_id) or not isinstance(data.get("t"), int):
        raise ValidationError(_("Tanda mulai pengisian bukan milik jawaban ini."))
    return dt.datetime.fromtimestamp(data["t"] / 1000, tz=dt.UTC)


@dataclass(frozen=True)
class KioskResult:
    response: Response
    created: bool  # False: this answer was stored before (a resend)


def _claim_unlock(counter: Counter, *, ticket: str, day: dt.date) -> KioskUnlock | None:
    if counter.unlock_mode == Counter.Unlock.OFFICER:
        # Lock the counter row: two answers arriving together cannot take one unlock.
        Counter.objects.select_for_update().get(pk=counter.pk)
        unlock = open_unlock(counter)
        if unlock is None:
            raise ValidationError(_("Kiosk belum dibuka petugas loket untuk responden ini."))
        return unlock
    if counter.unlock_mode == Counter.Unlock.TICKET:
        if not TICKET_PATTERN.match(ticket):
            raise ValidationError(_("Isi nomor antrean Anda (huruf dan angka, mis. A-023)."))
        try:
            with transaction.atomic():
                return KioskUnlock.objects.create(counter=counter, kind=KioskUnlock.Kind.TICKET, ticket=ticket, day=day)
        except IntegrityError:
            raise ValidationError(_("Nomor antrean %(ticket)s sudah dipakai hari ini.") % {"ticket": ticket}) from None
    return None


def kiosk_response_submit(
    *,
    device: KioskDevice,
    questionnaire: Questionnaire,
    client_id: uuid.UUID,
    start_token: str,
    duration_ms: int,
    scores: Mapping[str, int],
    profile: Mapping,
    ticket: str = "",
    answered_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> KioskResult:
    """Store one kiosk answer for `device`'s counter, or raise ValidationError.

    Refused (nothing stored): a start token that is not this device's and this answer's;
    a form filled faster than the counter's minimum, by the tablet's clock or by the
    server's; a counter that needs an unlock without one (officer's button, or a queue
    ticket not used before today); anything `response_submit` refuses. `answered_at` (the
    tablet's clock, for an answer that waited offline) dates the response when it lies
    between the start and now; otherwise the response is dated now.
    """
    now = now or timezone.now()
    counter = device.counter
    existing = Response.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.counter_id != counter.pk:
            raise ValidationError(_("Id jawaban ini sudah dipakai perangkat lain."))
        return KioskResult(existing, created=False)
    started = _start_time(start_token, device=device, client_id=client_id)
    if now - started > dt.timedelta(hours=settings.SKM_KIOSK_OFFLINE_HOURS):
        raise ValidationError(_("Jawaban ini terlalu lama tertahan di perangkat dan tidak dapat diterima lagi."))
    minimum = dt.timedelta(seconds=counter.min_seconds)
    if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0:
        raise ValidationError(_("Lama pengisian dari perangkat tidak sah."))
    if dt.timedelta(milliseconds=duration_ms) < minimum or now - started < minimum:
        raise ValidationError(
            _("Jawaban diisi terlalu cepat (paling singkat %(seconds)d detik).") % {"seconds": counter.min_seconds}
        )
    moment = answered_at if answered_at is not None and started <= answered_at <= now else now
    try:
        with transaction.atomic():
            unlock = _claim_unlock(counter, ticket=normalise_ticket(ticket), day=survey_date_of(moment))
            response = response_submit(
                questionnaire=questionnaire,
                service=counter.service,
                scores=scores,
                channel=Response.Channel.KIOSK,
                submitted_at=moment,
                counter=counter,
                client_id=client_id,
                **profile,
            )
            if unlock is not None:
                unlock.response = response
                unlock.save(update_fields=["response"])
    except IntegrityError:
        # The same answer arrived twice at once: the other request stored it.
        existing = Response.objects.filter(client_id=client_id, counter=counter).first()
        if existing is None:
            raise
        return KioskResult(existing, created=False)
    return KioskResult(response, created=True)


def kiosk_status(device: KioskDevice) -> dict:
    """What the tablet asks while it waits: is it still paired, may the next one answer."""
    counter = device.counter
    unlocked = counter.unlock_mode != Counter.Unlock.OFFICER or open_unlock(counter) is not None
    return {"paired": True, "unlocked": unlocked, "unlock_mode": counter.unlock_mode}
