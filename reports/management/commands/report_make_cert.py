"""`python manage.py report_make_cert [--output FILE.p12] [--force]`: a self-signed certificate.

For local use and the demo only: a self-signed certificate proves nothing to outsiders,
and the report never calls it BSrE (keep REPORT_CERT_IS_BSRE off).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import signing
from skm_portal.models import OfficeProfile


class Command(BaseCommand):
    help = "Buat sertifikat swa-tanda (PKCS#12) untuk penandatanganan laporan di lingkungan lokal/demo."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Berkas .p12 (bawaan: REPORT_SIGNING_P12).")
        parser.add_argument("--force", action="store_true", help="Timpa berkas yang sudah ada.")
        parser.add_argument("--days", type=int, default=730, help="Masa berlaku (hari).")
        parser.add_argument("--common-name", help="Nama pada sertifikat (bawaan: nama kepala di profil instansi).")

    def handle(self, *args, output=None, force=False, days=730, common_name=None, **options):
        path = Path(output) if output else signing.p12_path()
        if path.exists() and not force:
            raise CommandError(f"{path} sudah ada; pakai --force untuk menimpa.")
        passphrase = signing.configured_passphrase()
        if not passphrase:
            if not sys.stdin.isatty():
                raise CommandError("REPORT_SIGNING_PASSPHRASE kosong dan tidak ada terminal untuk menanyakannya.")
            passphrase = getpass.getpass("Frasa sandi baru untuk sertifikat: ")
            if passphrase != getpass.getpass("Ulangi frasa sandi: "):
                raise CommandError("Frasa sandi tidak sama.")
        office = OfficeProfile.get()
        data = signing.make_self_signed_p12(
            common_name=common_name or office.head_name or office.name,
            organisation=office.name,
            passphrase=passphrase,
            days=days,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Sertifikat swa-tanda dibuat: {path}"))
        self.stdout.write(
            self.style.WARNING(
                "Hanya untuk penggunaan lokal/demo. Jangan aktifkan REPORT_CERT_IS_BSRE untuk sertifikat ini."
            )
        )
