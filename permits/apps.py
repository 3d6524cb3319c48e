from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = "Perizinan"

    def ready(self) -> None:
        # The shell offers hooks; this app plugs its own rules into them.
        from skm_portal.person_extensions import register_person_extension

        from . import rules
        from .people import AGENCY_FIELD

        register_person_extension(AGENCY_FIELD)
        rules.register()
