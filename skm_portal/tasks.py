"""Background tasks of the portal shell (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_outbound_mail(mail_id: int) -> str:
    """Send OutboundMail `mail_id` once; on failure it records the error and re-enqueues itself."""
    from .mail import outbound_mail_send

    return outbound_mail_send(mail_id=mail_id)
