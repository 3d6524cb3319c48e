"""`python manage.py load_demo`: the demo office, users and data. Safe to run again."""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from skm_portal import demo as portal_demo


def demo_modules() -> list[str]:
    """Each installed app with demo data has a `demo.load()`; they run in INSTALLED_APPS
    order (an app's demo may use the data of the apps above it). The shell names none:
    it asks the project's own apps (those inside BASE_DIR) for theirs."""
    names = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        own = Path(config.path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())
        if own and config.name != "skm_portal" and find_spec(name):
            names.append(name)
    return names


class Command(BaseCommand):
    help = "Muat data demo (instansi, pengguna per peran, layanan, periode, hasil SKM)."

    def handle(self, *args, **options):
        logins = portal_demo.load()
        for module in demo_modules():
            summary = import_module(module).load()
            if summary:
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Data demo dimuat. Akun demo (hanya untuk lokal):"))
        width = max(len(u) for u, _, _ in logins)
        for username, password, role in logins:
            self.stdout.write(f"  {username:<{width}}  {password:<24} {role}")
