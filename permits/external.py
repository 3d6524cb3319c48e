"""Process-log events of files another system handled, so the SLA analytics cover them.

An external permit system (through the API) sends the steps of files it handled: file
number, permit type, step, the person, start and end, and whether the file was with the
applicant. A batch is validated like an import: one bad event refuses the whole batch,
with a message naming each bad item; otherwise every new event is stored. Events are
idempotent per source by their id: a replayed event is skipped (a different event under
an id already used is refused).

Each event becomes a `ProcessLogEntry` of an external file (`PermitApplication` whose
applicant is the source's system account, step "selesai": it is in no office queue), so
Monitoring Izin, "Waktu Pelayanan" analytics and their exports count it like any file:
office time on working days (the office calendar), time with the applicant as offtime.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import workflow
from .calendar import ZERO, WorkCalendar
from .models import OfficeDayOff, PermitApplication, PermitType, ProcessLogEntry
from .workflow import Action, Step

MAX_EVENTS = 1000
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# The action that ends each step on the ordinary path; an external event is a finished step.
STEP_END_ACTION = {
    Step.PENDAFTARAN: Action.SUBMIT,
    Step.VERIFIKASI_PENDAFTARAN: Action.VERIFY_REGISTRATION,
    Step.VERIFIKASI_IZIN: Action.FORWARD_TO_BACKOFFICE,
    Step.PERTIMBANGAN_DINAS_TEKNIS: Action.AGENCY_APPROVE,
    Step.BACKOFFICE_REVISI_DINAS: Action.BACKOFFICE_RETURN,
    Step.PROSES_BACKOFFICE: Action.BACKOFFICE_COMPLETE,
    Step.VALIDASI_KASI: Action.KASI_APPROVE,
    Step.VALIDASI_KABID: Action.KABID_APPROVE,
    Step.PENETAPAN: Action.ISSUE,
    Step.REVISI: Action.SUBMIT_FIX,
}
FIELDS = ("id", "file", "permit_type", "step", "user", "started_at", "ended_at", "with_applicant")


class ExternalProcessEvent(models.Model):
    """One event as received, the key of idempotency (source, event id)."""

    source = models.CharField(_("sistem asal"), max_length=40)
    event_id = models.CharField(_("id kejadian"), max_length=64)
    file_reference = models.CharField(_("nomor berkas"), max_length=40)
    step = models.CharField(_("proses"), max_length=40)
    user_name = models.CharField(_("pengguna"), max_length=150)
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("selesai"))
    with_applicant = models.BooleanField(_("di tangan pemohon"))
    entry = models.OneToOneField(ProcessLogEntry, on_delete=models.CASCADE, related_name="external_event")
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        app_label = "permits"
        verbose_name = gettext_lazy("log proses dari sistem lain")
        verbose_name_plural = gettext_lazy("log proses dari sistem lain")
        constraints = [models.UniqueConstraint(fields=["source", "event_id"], name="external_event_once")]

    def __str__(self) -> str:
        return f"{self.source}:{self.event_id}"


@dataclass(frozen=True)
class Event:
    id: str
    file: str
    permit_type: PermitType
    step: Step
    user: str
    started_at: dt.datetime
    ended_at: dt.datetime
    with_applicant: bool
    note: str

    def same_as(self, stored: ExternalProcessEvent) -> bool:
        return (
            stored.file_reference == self.file
            and stored.step == self.step.value
            and stored.user_name == self.user
            and stored.started_at == self.started_at
            and stored.ended_at == self.ended_at
            and stored.with_applicant == self.with_applicant
        )


@dataclass(frozen=True)
class IngestResult:
    stored: int
    skipped: int  # replayed events already stored


def _moment(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _parse(number: int, raw, types: dict[str, PermitType], now: dt.datetime) -> tuple[Event | None, list[str]]:
    """One event, or the messages saying what is wrong with it (all of them)."""
    if not isinstance(raw, dict):
        return None, [_("Kejadian ke-%(n)d: harus berupa objek.") % {"n": number}]
    event_id = _text(raw, "id")
    name = _("Kejadian ke-%(n)d (id %(id)s)") % {"n": number, "id": event_id or "-"}
    errors = []
    missing = [key for key in FIELDS if raw.get(key) in (None, "")]
    if missing:
        errors.append(_("%(name)s: isian wajib kosong: %(fields)s.") % {"name": name, "fields": ", ".join(missing)})
    if len(event_id) > 64:
        errors.append(_("%(name)s: id paling panjang 64 karakter.") % {"name": name})
    file, user = _text(raw, "file"), _text(raw, "user")
    if len(file) > 40:
        errors.append(_("%(name)s: nomor berkas paling panjang 40 karakter.") % {"name": name})
    if len(user) > 150:
        errors.append(_("%(name)s: nama pengguna paling panjang 150 karakter.") % {"name": name})
    permit_type = types.get(_text(raw, "permit_type"))
    if raw.get("permit_type") and permit_type is None:
        errors.append(
            _("%(name)s: jenis izin %(code)r tidak dikenal.") % {"name": name, "code": raw.get("permit_type")}
        )
    step = next((s for s in STEP_END_ACTION if s.value == _text(raw, "step")), None)
    if raw.get("step") and step is None:
        known = ", ".join(s.value for s in STEP_END_ACTION)
        errors.append(
            _("%(name)s: tahap %(step)r tidak dikenal; pilihan: %(known)s.")
            % {"name": name, "step": raw.get("step"), "known": known}
        )
    with_applicant = raw.get("with_applicant")
    if with_applicant is not None and not isinstance(with_applicant, bool):
        errors.append(_("%(name)s: with_applicant harus true atau false.") % {"name": name})
    elif step is not None and with_applicant is not None and with_applicant != (step in workflow.APPLICANT_STEPS):
        errors.append(
            _("%(name)s: tahap %(step)s %(where)s.")
            % {
                "name": name,
                "step": step.value,
                "where": _("berada di tangan pemohon (with_applicant: true)")
                if step in workflow.APPLICANT_STEPS
                else _("berada di kantor (with_applicant: false)"),
            }
        )
    started, ended = _moment(raw.get("started_at")), _moment(raw.get("ended_at"))
    for key, moment in (("started_at", started), ("ended_at", ended)):
        if raw.get(key) and moment is None:
            errors.append(
                _("%(name)s: %(key)s bukan waktu ISO 8601 dengan zona waktu, mis. 2025-03-04T09:30:00+08:00.")
                % {"name": name, "key": key}
            )
    if started and ended and ended < started:
        errors.append(_("%(name)s: ended_at sebelum started_at.") % {"name": name})
    if ended and ended > now + FUTURE_TOLERANCE:
        errors.append(_("%(name)s: ended_at di masa depan.") % {"name": name})
    if errors:
        return None, errors
    note = _text(raw, "note")[:1000]
    event = Event(event_id, file, permit_type, step, user, started, ended, with_applicant, note)
    return event, []


def _system_account(source: str, label: str):
    """The inactive account that stands for the source system on its files and log rows."""
    user, _created = get_user_model().objects.get_or_create(
        username=source, defaults={"first_name": label[:150], "is_active": False}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _refresh_file(permit: PermitApplication, calendar: WorkCalendar) -> None:
    """Times of an external file from its log: submitted, completed, office time, deadline."""
    entries = list(permit.log.all())
    permit.submitted_at = min(e.started_at for e in entries)
    permit.completed_at = max(e.at for e in entries)
    permit.step_entered_at = permit.completed_at
    permit.office_working_seconds = int(sum((e.working_time for e in entries), ZERO).total_seconds())
    pauses = [(e.started_at, e.at) for e in entries if e.offtime > ZERO]
    permit.deadline_at = calendar.deadline(permit.submitted_at, permit.service_days, pauses=pauses)
    permit.save(
        update_fields=["submitted_at", "completed_at", "step_entered_at", "office_working_seconds", "deadline_at"]
    )


def external_events_ingest(*, source: str, source_label: str, events: list) -> IngestResult:
    """Store a batch of process-log events of `source` (e.g. "api-3"), all or nothing.

    Raises ValidationError with one message per bad event (nothing stored). Replayed
    events (same source and id, same content) are skipped and counted.
    """
    if not isinstance(events, list) or not events:
        raise ValidationError(_("Kirim sekurang-kurangnya satu kejadian."))
    if len(events) > MAX_EVENTS:
        raise ValidationError(_("Paling banyak %(max)d kejadian per kiriman.") % {"max": MAX_EVENTS})
    now = timezone.now()
    types = {t.code: t for t in PermitType.objects.all()}
    parsed: list[Event] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(events, start=1):
        event, problems = _parse(number, raw, types, now)
        errors += problems
        if event is None:
            continue
        if event.id in seen:
            errors.append(
                _("Kejadian ke-%(n)d: id %(id)s sudah dipakai kejadian ke-%(first)d dalam kiriman ini.")
                % {"n": number, "id": event.id, "first": seen[event.id]}
            )
            continue
        seen[event.id] = number
        parsed.append(event)
    with transaction.atomic():
        stored = {
            e.event_id: e
            for e in ExternalProcessEvent.objects.select_for_update().filter(source=source, event_id__in=list(seen))
        }
        account = _system_account(source, source_label)
        files = {p.number: p for p in PermitApplication.objects.filter(number__in={e.file for e in parsed})}
        fresh = []
        for event in parsed:
            name = _("Kejadian ke-%(n)d (id %(id)s)") % {"n": seen[event.id], "id": event.id}
            if event.id in stored:
                if not event.same_as(stored[event.id]):
                    errors.append(_("%(name)s: id ini sudah dipakai untuk kejadian lain.") % {"name": name})
                continue
            permit = files.get(event.file)
            if permit is not None and permit.applicant_id != account.pk:
                errors.append(
                    _("%(name)s: nomor berkas %(file)s sudah dipakai berkas lain.") % {"name": name, "file": event.file}
                )
            elif permit is not None and permit.permit_type_id != event.permit_type.pk:
                errors.append(
                    _("%(name)s: berkas %(file)s tercatat dengan jenis izin lain.") % {"name": name, "file": event.file}
                )
            else:
                fresh.append(event)
        if errors:
            raise ValidationError(errors)
        calendar = WorkCalendar(days_off=OfficeDayOff.objects.values_list("date", flat=True))
        touched: dict[str, PermitApplication] = {}
        for event in fresh:
            permit = files.get(event.file)
            if permit is None:
                permit = PermitApplication(
                    number=event.file,
                    applicant=account,
                    permit_type=event.permit_type,
                    service_days=event.permit_type.service_days,
                    step=Step.SELESAI,
                )
                permit.full_clean(exclude=["survey_token"])
                permit.save()
                files[event.file] = permit
            span = event.ended_at - event.started_at
            entry = ProcessLogEntry(
                application=permit,
                step=event.step.value,
                action=STEP_END_ACTION[event.step].value,
                user=account,
                note=f"{event.user} ({source_label})" + (f": {event.note}" if event.note else ""),
                started_at=event.started_at,
                at=event.ended_at,
                duration=ZERO if event.with_applicant else span,
                offtime=span if event.with_applicant else ZERO,
                working_time=ZERO if event.with_applicant else calendar.working_time(event.started_at, event.ended_at),
            )
            entry.full_clean()
            entry.save()
            ExternalProcessEvent.objects.create(
                source=source,
                event_id=event.id,
                file_reference=event.file,
                step=event.step.value,
                user_name=event.user,
                started_at=event.started_at,
                ended_at=event.ended_at,
                with_applicant=event.with_applicant,
                entry=entry,
            )
            touched[event.file] = permit
        for permit in touched.values():
            _refresh_file(permit, calendar)
    return IngestResult(stored=len(fresh), skipped=len(parsed) - len(fresh))
