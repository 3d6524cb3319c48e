"""E-mail after the request: queued with the change, sent by a task, retried, sent once.

A service that wants to tell someone something calls `mail_queue` inside its
transaction. That stores an `OutboundMail` row and, once the transaction commits,
enqueues `skm_portal.tasks.send_outbound_mail`. The task sends with a timeout
(EMAIL_TIMEOUT), marks the row sent under a row lock (so a second run sends nothing),
and on failure records the error and enqueues itself again later (doubling waits from
MAIL_RETRY_SECONDS, at most MAIL_MAX_ATTEMPTS tries). The person who made the change
never sees a mail error; administrators see unsent mail on their dashboard.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .models import OutboundMail
from .permissions import has_permission

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "MAIL_MAX_ATTEMPTS", 6)))


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait before try number `attempts + 1`: base, 2 x base, 4 x base, ..."""
    base = int(getattr(settings, "MAIL_RETRY_SECONDS", 60))
    return dt.timedelta(seconds=base * 2 ** max(0, attempts - 1))


def mail_queue(*, to: list[str], subject: str, body: str, kind: str = "", reference: str = "") -> OutboundMail | None:
    """Store an e-mail to send after the current transaction commits; None without recipient."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    mail = OutboundMail(
        to=recipients,
        subject=subject[:300],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        kind=kind,
        reference=reference[:100],
    )
    mail.full_clean()
    mail.save()
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int, *, run_after: dt.datetime | None = None) -> bool:
    """Hand the mail to the task queue; False (mail stays pending) if the queue refused it."""
    from django_tasks import default_task_backend

    from .tasks import send_outbound_mail

    try:
        if run_after is not None:
            if not default_task_backend.supports_defer:
                return False  # e.g. the immediate backend: an administrator retries from the dashboard
            send_outbound_mail.using(run_after=run_after).enqueue(mail_id)
        else:
            send_outbound_mail.enqueue(mail_id)
    except Exception:  # the queue itself is down: the row stays pending, the dashboard shows it
        logger.exception("Could not enqueue outbound mail %s", mail_id)
        return False
    return True


def outbound_mail_send(*, mail_id: int) -> str:
    """Send one queued mail if it is still pending; returns its state afterwards.

    Safe to run twice or in two workers at once: the row is locked while sending and a
    mail already sent is left alone.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            mail = OutboundMail.objects.select_for_update().get(pk=mail_id)
            if mail.state != OutboundMail.State.PENDING:
                return mail.state
            message = EmailMessage(
                mail.subject,
                mail.body,
                mail.from_email,
                mail.to,
                connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None)),
            )
            message.send(fail_silently=False)
            mail.state, mail.sent_at, mail.last_attempt_at = OutboundMail.State.SENT, now, now
            mail.attempts += 1
            mail.last_error = ""
            mail.save(update_fields=["state", "sent_at", "last_attempt_at", "attempts", "last_error"])
            return mail.state
    except OutboundMail.DoesNotExist:
        return "missing"
    except (smtplib.SMTPException, OSError) as error:
        return _record_failure(mail_id=mail_id, error=error, now=now)


def _record_failure(*, mail_id: int, error: Exception, now: dt.datetime) -> str:
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().get(pk=mail_id)
        mail.attempts += 1
        mail.last_attempt_at = now
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if mail.attempts >= max_attempts():
            mail.state = OutboundMail.State.FAILED
        mail.save(update_fields=["attempts", "last_attempt_at", "last_error", "state"])
    logger.warning("Outbound mail %s failed (attempt %s): %s", mail_id, mail.attempts, mail.last_error)
    if mail.state == OutboundMail.State.PENDING:
        _enqueue(mail.pk, run_after=now + retry_delay(mail.attempts))
    return mail.state


@transaction.atomic
def outbound_mail_retry(*, actor) -> int:
    """An administrator asks to send every unsent mail again now; returns how many."""
    if not has_permission(actor, "portal.mail_status"):
        raise PermissionDenied
    unsent = list(OutboundMail.objects.select_for_update().exclude(state=OutboundMail.State.SENT))
    for mail in unsent:
        if mail.state == OutboundMail.State.FAILED:
            mail.state, mail.attempts = OutboundMail.State.PENDING, 0
            mail.save(update_fields=["state", "attempts"])
        transaction.on_commit(lambda pk=mail.pk: _enqueue(pk))
    if unsent:
        audit_record(
            actor=actor,
            action="mail_retried",
            obj=None,
            app="skm_portal",
            object_type="skm_portal.outboundmail",
            summary=_("%(count)s e-mail belum terkirim dikirim ulang.") % {"count": len(unsent)},
        )
    return len(unsent)


@dataclass(frozen=True)
class MailOutage:
    unsent: int
    last_error: str
    last_attempt_at: dt.datetime | None
    oldest: dt.datetime | None


def mail_outage() -> MailOutage | None:
    """What the administrators' dashboard shows: unsent mail and the last error, or None.

    A mail queued a moment ago and not tried yet is not an outage; one tried and failed,
    or waiting longer than MAIL_STALE_MINUTES (the worker is not running), is.
    """
    stale = timezone.now() - dt.timedelta(minutes=int(getattr(settings, "MAIL_STALE_MINUTES", 15)))
    unsent = OutboundMail.objects.exclude(state=OutboundMail.State.SENT).filter(
        Q(attempts__gt=0) | Q(created_at__lt=stale)
    )
    count = unsent.count()
    if not count:
        return None
    latest = unsent.filter(attempts__gt=0).order_by("-last_attempt_at", "-pk").first()
    oldest = unsent.order_by("created_at").values_list("created_at", flat=True).first()
    return MailOutage(
        unsent=count,
        last_error=latest.last_error if latest else "",
        last_attempt_at=latest.last_attempt_at if latest else None,
        oldest=oldest,
    )
