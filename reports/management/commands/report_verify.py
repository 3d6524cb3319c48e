"""`python manage.py report_verify FILE.pdf`: exit 0 only for an intact, validly signed report of ours."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.verification import verify_pdf


class Command(BaseCommand):
    help = "Periksa keaslian PDF laporan bertanda tangan (kode keluar 0 hanya bila asli, utuh dan sah)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Berkas PDF yang diperiksa.")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        verdict = verify_pdf(path.read_bytes())
        out = self.stdout
        out.write(f"Berkas   : {file}")
        out.write(f"SHA-256  : {verdict.sha256}")
        if verdict.version is not None:
            version = verdict.version
            signed_at = timezone.localtime(version.signed_at).strftime("%d-%m-%Y %H.%M")
            out.write(f"Laporan  : {version.title}, versi {version.number}")
            out.write(f"Penanda tangan: {version.signer_name}, {version.signer_title} ({signed_at} WITA)")
            if verdict.signer_subject:
                out.write(f"Sertifikat: {verdict.signer_subject}")
        for line in verdict.details:
            out.write(f"  {line}")
        if verdict.ok:
            out.write(self.style.SUCCESS(f"SAH: {verdict.message}"))
            if verdict.superseded:
                out.write(f"Catatan: sudah ada versi lebih baru (versi {verdict.latest_number}).")
            return
        self.stderr.write(self.style.ERROR(f"DITOLAK ({verdict.status}): {verdict.message}"))
        raise SystemExit(1)
