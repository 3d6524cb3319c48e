"""`python manage.py report_build --year 2024 --output laporan.pdf [--sign]`.

Builds the year's Laporan Tindak Lanjut Hasil SKM (created with default texts if the
year has none yet). With --sign it is signed with the configured certificate
(REPORT_SIGNING_P12; passphrase from REPORT_SIGNING_PASSPHRASE or asked) and stored as a
new signed version, so `report_verify` and the verification page recognise it.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports import services, signing
from reports.models import SignedVersion


class Command(BaseCommand):
    help = "Buat PDF Laporan Tindak Lanjut Hasil SKM satu tahun (opsional: tandatangani)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Tahun laporan, mis. 2024.")
        parser.add_argument("--output", required=True, help="Berkas PDF keluaran.")
        parser.add_argument("--sign", action="store_true", help="Tandatangani dengan sertifikat instansi.")

    def handle(self, *args, year: int, output: str, sign: bool, **options):
        passphrase = ""
        if sign:
            passphrase = signing.configured_passphrase()
            if not passphrase:
                if not sys.stdin.isatty():
                    raise CommandError("REPORT_SIGNING_PASSPHRASE kosong dan tidak ada terminal untuk menanyakannya.")
                passphrase = getpass.getpass("Frasa sandi sertifikat: ")
        try:
            report = services.year_report(year=services.parse_year(year))
            pdf, result = services.report_build_now(report=report, sign=sign, passphrase=passphrase)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        Path(output).write_bytes(pdf)
        if isinstance(result, SignedVersion):
            self.stdout.write(
                self.style.SUCCESS(
                    f"{output}: {result.title}, versi {result.number}, ditandatangani {result.signer_name}, "
                    f"SHA-256 {result.sha256}"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{output}: draf {report.title} ({result.pages} halaman), belum ditandatangani")
            )
