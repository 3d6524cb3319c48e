from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages above the apps: the public home page and the officers' dashboard.

    They show several apps at once, so they live here, not in the shell (`skm_portal`
    imports no app); registered last in INSTALLED_APPS.
    """

    name = "home"
    verbose_name = "Beranda"
