"""What client systems do through the API; every call is recorded in the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from permits.external import IngestResult, external_events_ingest
from skm_portal.audit import audit_record
from skm_portal.mail import mail_queue
from skm_portal.siteurl import absolute_url
from surveys.models import Service
from surveys.services import survey_token_create

from .models import ApiClient, FinishedPermit


def survey_url(finished: FinishedPermit) -> str:
    return absolute_url(reverse("surveys:survey_token", args=[finished.token.token]))


@dataclass(frozen=True)
class FinishedPermitReply:
    finished: FinishedPermit
    created: bool

    @property
    def survey_url(self) -> str:
        return survey_url(self.finished)


def _service(code: str) -> Service:
    service = Service.objects.filter(code=code, is_active=True).first()
    if service is None:
        known = ", ".join(Service.objects.filter(is_active=True).values_list("code", flat=True)) or "-"
        raise ValidationError({"service": _("Jenis layanan %(code)r tidak dikenal. Kode yang ada: %(known)s.")
                               % {"code": code, "known": known}})  # fmt: skip
    return service


def finished_permit_report(*, client: ApiClient, reference: str, service: str, email: str) -> FinishedPermitReply:
    """A client system reports a finished permit; the applicant gets a one-time survey link.

    Idempotent by (client, reference): a repeated report returns the same link and sends
    no second e-mail. The same reference with another service or e-mail is refused.
    """
    reference, email = reference.strip(), email.strip()
    errors = {}
    if not reference or len(reference) > 120:
        errors["reference"] = _("Nomor berkas wajib diisi, paling panjang 120 karakter.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Alamat e-mail pemohon tidak valid.")
    if errors:
        raise ValidationError(errors)
    chosen = _service(service.strip())
    existing = FinishedPermit.objects.select_related("token", "service").filter(client=client, reference=reference)
    try:
        with transaction.atomic():
            if (finished := existing.first()) is not None:
                created = False
            else:
                token = survey_token_create(service=chosen, reference=reference)
                finished = FinishedPermit(client=client, reference=reference, service=chosen, email=email, token=token)
                finished.full_clean(exclude=["token", "client", "service"])
                finished.save()
                created = True
                mail_queue(
                    to=[email],
                    subject=_("Survei Kepuasan Masyarakat: permohonan %(ref)s") % {"ref": reference},
                    body=_(
                        "Yth. Pemohon,\n\nPermohonan Anda nomor %(ref)s (%(service)s) telah selesai.\n\n"
                        "Bantu kami memperbaiki layanan: isi Survei Kepuasan Masyarakat (SKM) melalui tautan "
                        "berikut. Tautan ini khusus untuk berkas Anda dan hanya dapat dipakai satu kali:\n%(url)s\n"
                    )
                    % {"ref": reference, "service": chosen.name, "url": survey_url(finished)},
                    kind="survey_link",
                    reference=reference,
                )
            if not created and (finished.service_id != chosen.pk or finished.email.lower() != email.lower()):
                raise ValidationError(
                    _("Berkas %(ref)s sudah dilaporkan dengan layanan atau e-mail lain; tautan tidak dibuat ulang.")
                    % {"ref": reference}
                )
            audit_record(
                actor=None,
                action="api_permit_finished",
                obj=finished,
                summary=(
                    _("Klien API %(client)s melaporkan izin selesai %(ref)s; tautan survei dikirim.")
                    if created
                    else _("Klien API %(client)s mengulang laporan izin selesai %(ref)s; tautan yang sama.")
                )
                % {"client": client.name, "ref": reference},
                links=[client],
            )
    except IntegrityError:  # a concurrent report of the same reference won: return its link
        finished, created = existing.get(), False
    return FinishedPermitReply(finished=finished, created=created)


def process_events_report(*, client: ApiClient, events: list) -> IngestResult:
    """A client system sends process-log events of files it handled (all or nothing)."""
    with transaction.atomic():
        result = external_events_ingest(source=f"api-{client.pk}", source_label=client.name, events=events)
        audit_record(
            actor=None,
            action="api_process_events",
            obj=client,
            summary=_("Klien API %(client)s mengirim log proses: %(stored)d disimpan, %(skipped)d sudah ada.")
            % {"client": client.name, "stored": result.stored, "skipped": result.skipped},
        )
    return result


def api_call_refused(*, client: ApiClient, reason: str) -> None:
    """Record a call of a known client that was refused (revoked key, bad input, over the limit)."""
    with transaction.atomic():
        audit_record(
            actor=None,
            action="api_call_refused",
            obj=client,
            summary=_("Panggilan API %(client)s ditolak: %(reason)s") % {"client": client.name, "reason": reason},
        )


def api_client_touch(client: ApiClient) -> None:
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
