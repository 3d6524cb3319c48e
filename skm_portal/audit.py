"""The portal's one audit log: every app records its changes here, officers read them at
one page (`/riwayat-perubahan/`).

`audit_record` is called by services inside their `transaction.atomic()`, so a change
and its audit line are saved together or not at all. Reads go through `audit_for` (the
history of one record) and `audit_search` (the log page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEntry, AuditLink

APP_LABELS = {
    "surveys": gettext_lazy("Survei"),
    "followup": gettext_lazy("Tindak Lanjut"),
    "permits": gettext_lazy("Perizinan"),
    "reports": gettext_lazy("Laporan"),
    "skm_portal": gettext_lazy("Portal"),
    "auth": gettext_lazy("Pengguna dan peran"),
    "api": gettext_lazy("API"),
}

# Labels of the actions people filter by; an action without one shows its code in words.
ACTION_LABELS = {
    "created": gettext_lazy("Dibuat"),
    "updated": gettext_lazy("Diubah"),
    "deleted": gettext_lazy("Dihapus"),
    "deactivated": gettext_lazy("Dinonaktifkan"),
    "imported": gettext_lazy("Impor data"),
    "export_requested": gettext_lazy("Ekspor data diminta"),
    "export_file_removed": gettext_lazy("Berkas ekspor dihapus"),
    "published_set": gettext_lazy("Hasil terbit diisi"),
    "office_updated": gettext_lazy("Profil instansi diubah"),
    "text_saved": gettext_lazy("Teks laporan disimpan"),
    "report_signed": gettext_lazy("Laporan ditandatangani"),
    "invitation_signed": gettext_lazy("Surat undangan ditandatangani"),
    "sign_requested": gettext_lazy("Tanda tangan diminta"),
    "day_off_added": gettext_lazy("Hari libur ditambah"),
    "day_off_removed": gettext_lazy("Hari libur dihapus"),
    "letter_numbered": gettext_lazy("Nomor surat diberikan"),
    "letter_number_corrected": gettext_lazy("Nomor surat dikoreksi"),
    "letter_first_number": gettext_lazy("Nomor awal surat tahun diubah"),
    "letter_range_created": gettext_lazy("Rentang nomor surat dicadangkan"),
    "letter_range_removed": gettext_lazy("Rentang nomor surat dihapus"),
    "user_password_link": gettext_lazy("Tautan atur sandi dikirim"),
    "user_activated": gettext_lazy("Pengguna diaktifkan"),
    "user_deactivated": gettext_lazy("Pengguna dinonaktifkan"),
    "permit_transition": gettext_lazy("Perpindahan berkas izin"),
    "user_created": gettext_lazy("Pengguna dibuat"),
    "user_updated": gettext_lazy("Pengguna/peran diubah"),
    "user_deleted": gettext_lazy("Pengguna dihapus"),
    "attendee_added": gettext_lazy("Peserta hadir ditambah"),
    "attendee_removed": gettext_lazy("Peserta hadir dihapus"),
    "attendee_struck": gettext_lazy("Daftar hadir dicoret"),
    "attendance_scan_uploaded": gettext_lazy("Pindaian daftar hadir diunggah"),
    "attendance_scan_removed": gettext_lazy("Pindaian daftar hadir dihapus"),
    "evidence_uploaded": gettext_lazy("Bukti dukung diunggah"),
    "evidence_removed": gettext_lazy("Bukti dukung dihapus"),
    "meeting_created": gettext_lazy("Rapat dibuat"),
    "meeting_updated": gettext_lazy("Rapat diubah"),
    "minutes_saved": gettext_lazy("Notula disimpan"),
    "activity_added": gettext_lazy("Kegiatan ditambah"),
    "activity_moved": gettext_lazy("Urutan kegiatan diubah"),
    "activity_removed": gettext_lazy("Kegiatan dihapus"),
    "activity_status": gettext_lazy("Status kegiatan diubah"),
    "activity_updated": gettext_lazy("Kegiatan diubah"),
    "berita_acara_saved": gettext_lazy("Berita acara disimpan"),
    "checkin_closed": gettext_lazy("Daftar hadir QR ditutup"),
    "checkin_reopened": gettext_lazy("Daftar hadir QR dibuka kembali"),
    "evidence_linked": gettext_lazy("Tautan bukti dukung ditambah"),
    "evidence_record": gettext_lazy("Rapat dijadikan bukti dukung"),
    "invitees_removed": gettext_lazy("Daftar undangan dihapus"),
    "invitees_saved": gettext_lazy("Daftar undangan disimpan"),
    "plan_updated": gettext_lazy("Rencana tindak lanjut diubah"),
    "priorities_confirmed": gettext_lazy("Prioritas ditetapkan"),
    "priority_added": gettext_lazy("Prioritas ditambah"),
    "priority_removed": gettext_lazy("Prioritas dihapus"),
    "recommendation_added": gettext_lazy("Rekomendasi FKP ditambah"),
    "recommendation_removed": gettext_lazy("Rekomendasi FKP dihapus"),
    "recommendation_status": gettext_lazy("Status rekomendasi diubah"),
    "recommendation_updated": gettext_lazy("Rekomendasi FKP diubah"),
    "representative_added": gettext_lazy("Perwakilan masyarakat ditambah"),
    "representative_removed": gettext_lazy("Perwakilan masyarakat dihapus"),
    "step_added": gettext_lazy("Realisasi ditambah"),
    "step_moved": gettext_lazy("Urutan realisasi diubah"),
    "step_removed": gettext_lazy("Realisasi dihapus"),
    "step_updated": gettext_lazy("Realisasi diubah"),
    "mail_retried": gettext_lazy("E-mail dikirim ulang"),
    "api_client_created": gettext_lazy("Kunci API diterbitkan"),
    "api_client_revoked": gettext_lazy("Kunci API dicabut"),
    "api_permit_finished": gettext_lazy("Izin selesai dilaporkan (API)"),
    "api_process_events": gettext_lazy("Log proses diterima (API)"),
    "api_call_refused": gettext_lazy("Panggilan API ditolak"),
    "kiosk_code_created": gettext_lazy("Kode pasangan kiosk dibuat"),
    "kiosk_paired": gettext_lazy("Kiosk dipasangkan"),
    "kiosk_unpaired": gettext_lazy("Kiosk dilepas"),
    "kiosk_unlocked": gettext_lazy("Kiosk dibuka untuk responden berikutnya"),
}


def app_label(app: str) -> str:
    return str(APP_LABELS.get(app, app))


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ").capitalize()


def object_key(obj: Model) -> tuple[str, str]:
    """("app_label.model", "pk") naming a record in the log."""
    return obj._meta.label_lower, str(obj.pk)


def actor_display(actor) -> str:
    if actor is None:
        return _("Sistem")
    if not getattr(actor, "is_authenticated", False):
        return _("Pengunjung (tanpa masuk)")
    return actor.get_full_name() or actor.get_username()


def audit_record(
    *,
    actor,
    action: str,
    obj: Model | None,
    summary: str,
    changes: dict | None = None,
    app: str | None = None,
    links: Iterable[Model | None] = (),
    object_repr: str | None = None,
    object_type: str = "",
) -> AuditEntry:
    """Append one line to the audit log. Call it inside the transaction of the change.

    `obj` is the record changed (or, for a deletion, the record before it is deleted);
    `changes` maps a field label to [old, new]; `links` are records whose history this
    line also belongs to (a plan's period, a meeting, a permit file). `app` defaults to
    the app of `obj`. A change of many rows at once (an import) passes `obj=None` with
    `app` and `object_type` ("surveys.response").
    """
    if obj is None and not (app and object_type):
        raise ValueError("audit_record without obj needs app and object_type")
    object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = "" if obj.pk is None else str(obj.pk)
        if object_repr is None:
            object_repr = str(obj)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_display=actor_display(actor)[:200],
        app=app or obj._meta.app_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=(object_repr or "")[:200],
        summary=summary[:500],
        changes=changes or {},
    )
    entry.full_clean()
    entry.save()
    keys = {(object_type, object_id)} if object_id else set()
    keys |= {object_key(link) for link in links if link is not None and link.pk is not None}
    AuditLink.objects.bulk_create([AuditLink(entry=entry, object_type=kind, object_id=pk) for kind, pk in sorted(keys)])
    return entry


def changes_of(instance: Model, before: dict, fields: Iterable[str]) -> dict[str, list[str]]:
    """{field label: [old, new]} for `fields` whose value differs from `before[field]`."""
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            label = str(instance._meta.get_field(name).verbose_name)
            changes[label] = ["" if old is None else str(old), "" if new is None else str(new)]
    return changes


def snapshot(instance: Model, fields: Iterable[str]) -> dict:
    return {name: getattr(instance, name) for name in fields}


# --- reads ------------------------------------------------------------------------------


def audit_for(obj: Model, limit: int = 200) -> list[AuditEntry]:
    """The history of one record: lines about it and lines linked to it, newest first."""
    kind, pk = object_key(obj)
    return list(
        AuditEntry.objects.filter(links__object_type=kind, links__object_id=pk)
        .select_related("actor")
        .distinct()[:limit]
    )


@dataclass(frozen=True)
class AuditQuery:
    text: str = ""
    user: str = ""
    app: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_search(query: AuditQuery) -> QuerySet[AuditEntry]:
    """The log page's lines: text in summary/data, user name, app, action, WITA date range."""
    entries = AuditEntry.objects.select_related("actor")
    for word in query.text.split():
        entries = entries.filter(Q(summary__icontains=word) | Q(object_repr__icontains=word) | Q(object_id=word))
    if query.user.strip():
        name = query.user.strip()
        entries = entries.filter(
            Q(actor_display__icontains=name)
            | Q(actor__username__iexact=name)
            | Q(actor__first_name__icontains=name)
            | Q(actor__last_name__icontains=name)
        )
    if query.app:
        entries = entries.filter(app=query.app)
    if query.action:
        entries = entries.filter(action=query.action)
    if query.date_from:
        entries = entries.filter(at__gte=_day_start(query.date_from))
    if query.date_to:
        entries = entries.filter(at__lt=_day_start(query.date_to + dt.timedelta(days=1)))
    return entries


def audit_actions() -> list[tuple[str, str]]:
    """(code, label) of every action in the log, for the filter."""
    codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])
