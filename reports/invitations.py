"""Signing a meeting's or FKP's invitation letter, and what the reports app tells the
follow-up about signed documents.

The reports app stands above the follow-up: it assembles the follow-up into the annual
report and owns electronic signing (`signing`, `SignedVersion`), so the follow-up imports
nothing from here. What the meetings half needs to know comes back through its signals
(`followup.meetings.signals`), connected in `ReportsConfig.ready`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followup.meetings import documents
from followup.meetings.selectors import meeting_documents_queryset
from followup.meetings.services import lock_meeting, meeting_audit
from followup.models import Meeting
from skm_portal.models import OfficeProfile
from skm_portal.permissions import has_permission

from . import services, signing
from .models import Report, SignedVersion, new_verification_code

SIGN = "followup.sign"


def invitation_sign(*, meeting: Meeting, user, secret: str) -> SignedVersion:
    """The letter's signer signs the invitation with the office's certificate (PAdES).

    The same flow as a report: `secret` is the certificate's passphrase, or the signer's
    own password when the server holds the passphrase. The invitation is rendered as it
    stands, with the signature statement, QR code and verification link (SITE_URL) instead
    of the DRAF mark, signed, and stored as an immutable SignedVersion with its SHA-256,
    verified by /laporan/verifikasi/. A letter is signed once and must carry its number
    first. Returns the SignedVersion.
    """
    if not has_permission(user, SIGN, meeting):
        raise PermissionDenied
    passphrase = services.signing_passphrase(user=user, secret=secret)
    return invitation_sign_with_passphrase(meeting=meeting, user=user, passphrase=passphrase)


def invitation_sign_with_passphrase(*, meeting: Meeting, user, passphrase: str) -> SignedVersion:
    """`invitation_sign` once the passphrase is known (also the demo's path); ValidationError when refused."""
    if not has_permission(user, SIGN, meeting):
        raise PermissionDenied
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        if meeting.invitation_signed:
            raise ValidationError(_("Surat undangan ini sudah ditandatangani."))
        if not meeting.letter_number:
            raise ValidationError(_("Beri nomor surat undangan sebelum ditandatangani."))
        identity = services.signing_identity(passphrase=passphrase)
        office = OfficeProfile.get()
        code = new_verification_code()
        marks = signing.signed_marks(code=code, office_name=office.name)
        full = meeting_documents_queryset().get(pk=meeting.pk)
        pdf = documents.pdf(full, documents.INVITATION, signed=marks)
        title = _("Surat Undangan Nomor %(ref)s: %(title)s") % {"ref": meeting.letter_reference, "title": meeting.title}
        version = services.signed_version_store(
            pdf=pdf,
            identity=identity,
            code=code,
            number=1,
            title=title,
            reason=_("Menandatangani surat undangan nomor %(ref)s") % {"ref": meeting.letter_reference},
            location=office.city,
            signer_name=meeting.signer_name,
            signer_title=meeting.signer_title.rstrip(" ,"),
            signer_rank=meeting.signer_rank,
            signer_nip=meeting.signer_nip,
            user=user,
            meeting=meeting,
        )
        meeting_audit(
            meeting=meeting,
            user=user,
            action="invitation_signed",
            obj=meeting,
            summary=_("Surat undangan %(ref)s ditandatangani secara elektronik (SHA-256 %(sha)s).")
            % {"ref": meeting.letter_reference, "sha": version.sha256[:16]},
        )
    return version


def invitation_signed_version(meeting_id: int) -> SignedVersion | None:
    """The signed version of a meeting's invitation, or None."""
    return SignedVersion.objects.select_related("meeting").filter(meeting_id=meeting_id).order_by("-number").first()


# --- receivers of followup.meetings.signals (connected in ReportsConfig.ready) --------------


def year_report_signed(sender, *, meeting: Meeting, **kwargs) -> bool:
    """A letter is final once the annual follow-up report of its meeting's year is signed:
    that report's appendix reproduces the invitations of the meetings held that year."""
    return SignedVersion.objects.filter(report__kind=Report.Kind.FOLLOWUP, report__year=meeting.date.year).exists()


def demo_signed_invitations_clear(sender, *, meetings, **kwargs) -> None:
    """The demo replaces its meetings: their signed invitations go first (reports.demo signs again)."""
    signed = SignedVersion.objects.filter(meeting__in=meetings)
    for version in signed:
        version.file.delete(save=False)
    signed.delete()
