from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "skm_portal"
    verbose_name = "Portal"
