from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "skm_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.core import checks

        from . import siteurl  # noqa: F401 - registers the SITE_URL deployment check
        from .checks import check_forwarded_addresses

        checks.register(check_forwarded_addresses, checks.Tags.security, deploy=True)
