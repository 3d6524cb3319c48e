"""`python manage.py export_files_expire`: delete the xlsx exports older than EXPORT_FILE_KEEP_DAYS.

Every export run does this first; the command is for a daily cron job on a site where
exports are rare, so old files do not wait for the next export. Each deletion is in the
audit log; the jobs stay listed without their files.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from skm_portal.numbers import format_int
from surveys.export_jobs import files_expire, keep_days


class Command(BaseCommand):
    help = _("Hapus berkas ekspor xlsx yang sudah melewati masa simpannya (EXPORT_FILE_KEEP_DAYS).")

    def handle(self, *args, **options):
        removed = files_expire()
        self.stdout.write(
            _("%(count)s berkas ekspor dihapus (disimpan paling lama %(days)s hari).")
            % {"count": format_int(removed), "days": keep_days()}
        )
