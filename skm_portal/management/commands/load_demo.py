"""`python manage.py load_demo`: the demo office, users and data. Safe to run again."""

from importlib import import_module

from django.core.management.base import BaseCommand

from skm_portal import demo as portal_demo

# Each app with demo data has a `demo.load()`; they run in this order.
DEMO_MODULES = ["surveys.demo", "followup.demo", "permits.demo", "reports.demo"]


class Command(BaseCommand):
    help = "Muat data demo (instansi, pengguna per peran, layanan, periode, hasil SKM)."

    def handle(self, *args, **options):
        logins = portal_demo.load()
        for module in DEMO_MODULES:
            summary = import_module(module).load()
            if summary:
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Data demo dimuat. Akun demo (hanya untuk lokal):"))
        width = max(len(u) for u, _, _ in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username:<{width}}  {password:<24} {role}")
