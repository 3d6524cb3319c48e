"""The e-mails of permit files and complaints, queued with the shell's `mail_queue`
(sent by the task worker after the transaction commits)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skm_portal.dates import deadline_id
from skm_portal.mail import mail_queue
from skm_portal.siteurl import absolute_url

from . import workflow
from .models import Complaint, PermitApplication
from .workflow import Step


def _absolute(path: str) -> str:
    return absolute_url(path)


def permit_mail_schedule(permit: PermitApplication, *, row: workflow.Transition, note: str) -> None:
    recipient = permit.applicant.email
    if not recipient:
        return
    name = permit.applicant.get_full_name() or permit.applicant.username
    file_url = _absolute(reverse("permits:detail", args=[permit.pk]))
    if row.is_return:
        subject = _("Berkas %(number)s dikembalikan untuk revisi") % {"number": permit.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Berkas permohonan %(type)s nomor %(number)s dikembalikan kepada Anda untuk diperbaiki.\n\n"
            "Catatan untuk pemohon:\n%(note)s\n\n"
            "Silakan buka menu Permohonan Izin > Revisi, perbaiki berkas sesuai catatan, lalu kirim kembali:\n"
            "%(url)s\n\n"
            "Waktu layanan tidak dihitung selama berkas berada di tangan Anda.\n"
        ) % {"name": name, "type": permit.permit_type.name, "number": permit.number, "note": note, "url": file_url}
    elif permit.current_step == Step.SELESAI and permit.survey_token is not None:
        survey_url = _absolute(reverse("surveys:survey_token", args=[permit.survey_token.token]))
        subject = _("Permohonan %(number)s selesai") % {"number": permit.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Permohonan %(type)s nomor %(number)s telah selesai diproses.\n%(url)s\n\n"
            "Bantu kami memperbaiki layanan: isi Survei Kepuasan Masyarakat (SKM) melalui tautan berikut. "
            "Tautan ini khusus untuk berkas Anda dan hanya dapat dipakai satu kali:\n%(survey)s\n"
        ) % {
            "name": name,
            "type": permit.permit_type.name,
            "number": permit.number,
            "url": file_url,
            "survey": survey_url,
        }
    else:
        return
    mail_queue(to=[recipient], subject=subject, body=body, kind="permit", reference=permit.number or "")


def complaint_mail_schedule(complaint: Complaint, *, answered: bool) -> None:
    status_url = _absolute(reverse("permits:complaint_status", args=[complaint.token]))
    local_deadline = timezone.localtime(complaint.deadline_at)
    if answered:
        agencies = sorted({c.agency.name for c in complaint.consultations.select_related("agency")})
        subject = _("Jawaban pengaduan %(number)s: %(status)s") % {
            "number": complaint.number,
            "status": complaint.status_label,
        }
        body = _(
            "Yth. %(name)s,\n\n"
            "Pengaduan Anda nomor %(number)s (%(subject)s) telah dijawab oleh Kepala DPMPTSP setelah rapat "
            "bersama perangkat daerah terkait (%(agencies)s).\n\n"
            "Keputusan: pengaduan %(status)s.\n\nJawaban:\n%(answer)s\n\n"
            "Status pengaduan:\n%(url)s\n"
        ) % {
            "name": complaint.name,
            "number": complaint.number,
            "subject": complaint.subject,
            "agencies": ", ".join(agencies),
            "status": complaint.status_label.upper(),
            "answer": complaint.answer_note,
            "url": status_url,
        }
    else:
        subject = _("Pengaduan %(number)s telah kami terima") % {"number": complaint.number}
        body = _(
            "Yth. %(name)s,\n\n"
            "Pengaduan Anda (%(subject)s) telah kami terima dengan nomor %(number)s.\n"
            "Kepala DPMPTSP menjawab pengaduan, diterima atau ditolak, setelah rapat bersama perangkat daerah "
            "terkait, paling lama 5 (lima) hari kerja: sampai %(deadline)s.\n\n"
            "Ikuti status pengaduan Anda melalui tautan berikut (jangan dibagikan):\n%(url)s\n"
        ) % {
            "name": complaint.name,
            "subject": complaint.subject,
            "number": complaint.number,
            "deadline": deadline_id(local_deadline),
            "url": status_url,
        }
    mail_queue(to=[complaint.email], subject=subject, body=body, kind="complaint", reference=complaint.number or "")
