"""Writes and reads of the counter kiosk: counters, pairing a tablet, unlocking it.

Every change an officer makes is in the audit log. The tablet's own writes (a
respondent's answers) are in `kiosk_submit.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal import audit

from .kiosk_models import Counter, KioskDevice, KioskUnlock
from .services import survey_date_of

COUNTER_FIELDS = ["name", "service", "layout", "idle_seconds", "min_seconds", "unlock_mode", "is_active"]
# No 0/O, 1/I/L: the code is read off a screen and typed on a tablet.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


@transaction.atomic
def counter_save(*, actor, counter: Counter | None = None, **values) -> Counter:
    """Create a counter (`counter=None`) or change one; `values` are COUNTER_FIELDS."""
    creating = counter is None
    if creating:
        counter = Counter()
        before = {}
    else:
        counter = Counter.objects.select_for_update().get(pk=counter.pk)
        before = audit.snapshot(counter, COUNTER_FIELDS)
    for name, value in values.items():
        if name not in COUNTER_FIELDS:
            raise TypeError(f"unknown counter field {name!r}")
        setattr(counter, name, value)
    counter.name = counter.name.strip()
    counter.full_clean()
    counter.save()
    if creating:
        audit.audit_record(
            actor=actor, action="created", obj=counter, summary=_("Loket kiosk %(name)s dibuat.") % {"name": counter}
        )
    else:
        changes = audit.changes_of(counter, before, COUNTER_FIELDS)
        if changes:
            audit.audit_record(
                actor=actor,
                action="updated",
                obj=counter,
                summary=_("Loket kiosk %(name)s diubah.") % {"name": counter},
                changes=changes,
            )
    return counter


@transaction.atomic
def kiosk_pairing_code_create(*, counter: Counter, actor) -> KioskDevice:
    """A new one-time code (valid SKM_KIOSK_CODE_MINUTES) that pairs one tablet with `counter`."""
    if not counter.is_active:
        raise ValidationError(_("Loket ini tidak aktif; aktifkan dahulu sebelum memasang kiosk."))
    now = timezone.now()
    # Earlier codes of this counter that nobody used stop working: one code on screen at a time.
    KioskDevice.objects.filter(counter=counter, paired_at__isnull=True).exclude(pairing_code="").update(
        pairing_code="", code_expires_at=now
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    device = KioskDevice.objects.create(
        counter=counter,
        pairing_code=code,
        code_expires_at=now + dt.timedelta(minutes=settings.SKM_KIOSK_CODE_MINUTES),
        created_by=actor,
    )
    audit.audit_record(
        actor=actor,
        action="kiosk_code_created",
        obj=device,
        summary=_("Kode pasangan kiosk untuk %(counter)s dibuat.") % {"counter": counter},
        links=[counter],
    )
    return device


@transaction.atomic
def kiosk_pair(*, code: str) -> tuple[KioskDevice, str]:
    """Pair the tablet that typed `code`; returns the device and its new secret key.

    The key is shown to the tablet once (as a cookie) and only its hash is kept. A code
    works once and only before it expires; a wrong or spent code raises ValidationError.
    """
    code = normalise_code(code)
    now = timezone.now()
    device = (
        KioskDevice.objects.select_for_update()
        .select_related("counter")
        .filter(pairing_code=code, paired_at__isnull=True, code_expires_at__gt=now, counter__is_active=True)
        .first()
        if len(code) == CODE_LENGTH
        else None
    )
    if device is None:
        raise ValidationError(_("Kode tidak dikenal atau sudah kedaluwarsa. Minta kode baru kepada petugas."))
    key = secrets.token_urlsafe(32)
    device.key_hash = _key_hash(key)
    device.pairing_code = ""
    device.paired_at = now
    device.last_seen_at = now
    device.save(update_fields=["key_hash", "pairing_code", "paired_at", "last_seen_at"])
    audit.audit_record(
        actor=None,
        action="kiosk_paired",
        obj=device,
        summary=_("Perangkat kiosk dipasangkan dengan %(counter)s.") % {"counter": device.counter},
        links=[device.counter],
    )
    return device, key


@transaction.atomic
def kiosk_unpair(*, device: KioskDevice, actor) -> KioskDevice:
    """End a tablet's pairing (or cancel its unused code); its key stops working at once."""
    device = KioskDevice.objects.select_for_update().select_related("counter").get(pk=device.pk)
    if device.unpaired_at is not None:
        return device
    device.unpaired_at = timezone.now()
    device.key_hash = ""
    device.pairing_code = ""
    device.save(update_fields=["unpaired_at", "key_hash", "pairing_code"])
    audit.audit_record(
        actor=actor,
        action="kiosk_unpaired",
        obj=device,
        summary=_("Perangkat kiosk dilepas dari %(counter)s.") % {"counter": device.counter},
        links=[device.counter],
    )
    return device


def kiosk_device_for_key(key: str | None) -> KioskDevice | None:
    """The paired device holding `key` at an active counter, or None."""
    if not key or len(key) > 100:
        return None
    device = (
        KioskDevice.objects.select_related("counter", "counter__service")
        .filter(key_hash=_key_hash(key), paired_at__isnull=False, unpaired_at__isnull=True, counter__is_active=True)
        .first()
    )
    if device is not None:
        now = timezone.now()
        # "Last seen" for the officers' list, written at most once a minute per tablet.
        if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
            KioskDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
    return device


def open_unlock(counter: Counter) -> KioskUnlock | None:
    return counter.unlocks.filter(kind=KioskUnlock.Kind.OFFICER, response__isnull=True).order_by("pk").first()


@transaction.atomic
def kiosk_unlock(*, counter: Counter, actor) -> tuple[KioskUnlock, bool]:
    """The counter officer lets the next respondent answer; (unlock, created).

    At most one unlock waits at a time: pressing the button twice opens the kiosk for
    one respondent, not two (the guard against one person answering many times).
    """
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if counter.unlock_mode != Counter.Unlock.OFFICER:
        raise ValidationError(_("Loket ini tidak memakai pembukaan oleh petugas."))
    waiting = open_unlock(counter)
    if waiting is not None:
        return waiting, False
    unlock = KioskUnlock.objects.create(
        counter=counter, kind=KioskUnlock.Kind.OFFICER, day=survey_date_of(timezone.now()), created_by=actor
    )
    audit.audit_record(
        actor=actor,
        action="kiosk_unlocked",
        obj=counter,
        summary=_("Kiosk %(counter)s dibuka untuk responden berikutnya.") % {"counter": counter},
    )
    return unlock, True


def ticket_used(ticket: str) -> bool:
    """Whether a queue ticket was already used today (any counter)."""
    ticket = "".join(ticket.split()).upper()
    return KioskUnlock.objects.filter(ticket=ticket, day=survey_date_of(timezone.now())).exists()


def counter_devices(counter: Counter, limit: int = 20) -> list[KioskDevice]:
    """The counter's newest devices and codes, for its page."""
    return list(counter.devices.order_by("-created_at", "-pk")[:limit])
