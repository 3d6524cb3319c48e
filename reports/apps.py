from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Laporan"

    def ready(self):
        # The follow-up asks through its signals; it never imports the reports app.
        from followup.meetings.signals import demo_meetings_clearing, letter_finality

        from .invitations import demo_signed_invitations_clear, year_report_signed

        letter_finality.connect(year_report_signed, dispatch_uid="reports.year_report_signed")
        demo_meetings_clearing.connect(demo_signed_invitations_clear, dispatch_uid="reports.demo_invitations")
