"""`python manage.py skm_tallies_rebuild [--check]`: recount the tallies from the responses.

Prints every day/service/questionnaire/channel whose stored tally differed from the rows
(at most MAX_SHOWN, then a count). Without --check the tallies are replaced by the recount
in one transaction (and the fix is written to the audit log); with --check nothing
changes and the exit status is 1 when anything differed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from skm_portal import audit
from skm_portal.numbers import format_int
from surveys.tallies import TallyDifference, tallies_rebuild

MAX_SHOWN = 50


def describe(difference: TallyDifference) -> str:
    survey_date, service_id, questionnaire_id, channel = difference.key
    columns = ", ".join(f"{column} {stored} -> {counted}" for column, stored, counted in difference.columns[:6])
    more = len(difference.columns) - 6
    if more > 0:
        columns += _(" (dan %(count)s kolom lain)") % {"count": more}
    return _("%(date)s layanan #%(service)s kuesioner #%(questionnaire)s saluran %(channel)s: %(columns)s") % {
        "date": survey_date.isoformat(),
        "service": service_id,
        "questionnaire": questionnaire_id,
        "channel": channel,
        "columns": columns,
    }


class Command(BaseCommand):
    help = _("Hitung ulang rekap harian jawaban dari baris jawaban dan laporkan setiap selisih.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help=_("Hanya periksa; tidak mengubah apa pun."))

    def handle(self, *args, check: bool = False, **options):
        with transaction.atomic():
            differences = tallies_rebuild(dry_run=check)
            if differences and not check:
                audit.audit_record(
                    actor=None,
                    action="updated",
                    obj=None,
                    app="surveys",
                    object_type="surveys.responsetally",
                    object_repr=_("rekap harian jawaban"),
                    summary=_("Rekap dihitung ulang dari baris jawaban; %(count)s rekap berselisih diperbaiki.")
                    % {"count": format_int(len(differences))},
                )
        for difference in differences[:MAX_SHOWN]:
            self.stdout.write(describe(difference))
        if len(differences) > MAX_SHOWN:
            self.stdout.write(
                _("... dan %(count)s selisih lain.") % {"count": format_int(len(differences) - MAX_SHOWN)}
            )
        if not differences:
            self.stdout.write(_("Rekap sesuai dengan baris jawaban; tidak ada selisih."))
        elif check:
            raise CommandError(
                _("%(count)s rekap berselisih dengan baris jawaban. Jalankan tanpa --check untuk memperbaikinya.")
                % {"count": format_int(len(differences))}
            )
        else:
            self.stdout.write(_("%(count)s rekap diperbaiki.") % {"count": format_int(len(differences))})
