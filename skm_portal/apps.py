from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "skm_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from . import siteurl  # noqa: F401 - registers the SITE_URL deployment check
