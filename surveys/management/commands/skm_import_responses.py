"""`manage.py skm_import_responses FILE [--create-missing-services]`: all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from skm_portal.numbers import format_int
from surveys.import_audit import audit_import
from surveys.importing import DEFAULT_BATCH_SIZE, ImportRefused, responses_import
from surveys.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Impor jawaban responden dari berkas .xlsx (lembar pertama, judul kolom di baris 1). "
        "Semua baris atau tidak sama sekali: satu baris salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Berkas .xlsx")
        parser.add_argument(
            "--create-missing-services",
            action="store_true",
            help="Buat jenis layanan yang belum terdaftar (kode dibentuk dari nama).",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Baris per sisipan.")

    def handle(self, *args, file: Path, create_missing_services: bool, batch_size: int, **options):
        if not file.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(file)s") % {"file": file})
        try:
            report = responses_import(
                file=file,
                create_missing_services=create_missing_services,
                batch_size=batch_size,
                source=ImportBatch.Source.COMMAND,
            )
        except ImportRefused as refused:
            for message in refused.errors:
                self.stderr.write(message)
            if refused.omitted:
                self.stderr.write(_("... dan %(count)s baris salah lainnya.") % {"count": format_int(refused.omitted)})
            raise CommandError(
                _("Impor dibatalkan: %(count)s masalah, tidak ada data yang disimpan.")
                % {"count": format_int(refused.total_errors)}
            ) from None
        audit_import(actor=None, report=report, file_name=file.name)
        for name in report.created_services:
            self.stdout.write(_("Jenis layanan baru: %(name)s") % {"name": name})
        self.stdout.write(
            self.style.SUCCESS(_("%(count)s baris jawaban diimpor.") % {"count": format_int(report.imported)})
        )
        if report.skipped:
            self.stdout.write(
                _("%(count)s baris dilewati karena id-nya sudah tersimpan.") % {"count": format_int(report.skipped)}
            )
