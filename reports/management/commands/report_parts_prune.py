"""`python manage.py report_parts_prune`: remove report parts no build has used for REPORT_PART_KEEP_DAYS.

Every report build does this when it finishes; the command is for a site that builds rarely,
so a year's unused parts do not wait for the next build. Parts are a cache of rendered pages,
not records: one removed and needed again is rendered again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.parts import keep_days, prune_unused
from skm_portal.numbers import format_int


class Command(BaseCommand):
    help = _("Hapus bagian laporan yang tidak dipakai draf mana pun selama REPORT_PART_KEEP_DAYS hari.")

    def handle(self, *args, **options):
        removed = prune_unused()
        self.stdout.write(
            _("%(count)s bagian laporan dihapus (tidak dipakai selama %(days)s hari).")
            % {"count": format_int(removed), "days": keep_days()}
        )
