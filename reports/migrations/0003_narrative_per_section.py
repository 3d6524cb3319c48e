"""The opening texts of 2.1, 2.2 and 3.1 become the office's text, stored per report.

Until now the PDF template wrote them. Existing yearly reports keep what their PDF said for
2.2 and 3.1; 2.1 quoted the results, so it stays empty until the officer writes it or
asks for a proposal ("Usulkan dari data") on the edit page.
"""

from django.db import migrations, models

PLAN_INTRO = (
    "Sebagai upaya untuk terus meningkatkan kualitas pelayanan publik, {name} ({short}) {region} berkomitmen "
    "untuk menindaklanjuti hasil Survei Kepuasan Masyarakat (SKM) Tahun {year}. Rencana Tindak Lanjut ini "
    "dirancang berdasarkan analisis terhadap data survei yang telah diperoleh, dengan tujuan untuk "
    "mengidentifikasi area yang membutuhkan perbaikan dan memastikan keberlanjutan pelayanan yang prima sesuai "
    "harapan masyarakat."
)
REALISATION_INTRO = (
    "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
    "sebagai berikut:"
)


def keep_printed_texts(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    OfficeProfile = apps.get_model("skm_portal", "OfficeProfile")
    office = OfficeProfile.objects.filter(pk=1).first()
    if office is None:
        return
    government = (office.government or "").strip()
    region = government.removeprefix("Pemerintah ").strip() or government
    for report in Report.objects.filter(kind="followup"):
        report.plan_intro = PLAN_INTRO.format(
            name=office.name, short=office.short_name, region=region, year=report.year
        )
        report.realisation_intro = REALISATION_INTRO
        report.save(update_fields=["plan_intro", "realisation_intro"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_build_heartbeat"),
        ("skm_portal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="plan_intro",
            field=models.TextField(
                blank=True,
                help_text="Teks sebelum tabel rencana tindak lanjut.",
                verbose_name="2.2 Rencana tindak lanjut",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="realisation_intro",
            field=models.TextField(
                blank=True, help_text="Teks sebelum tabel implementasi.", verbose_name="3.1 Implementasi tindak lanjut"
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="results_intro",
            field=models.TextField(
                blank=True, help_text="Teks sebelum tabel hasil per periode.", verbose_name="2.1 Pembahasan hasil SKM"
            ),
        ),
        migrations.RunPython(keep_printed_texts, migrations.RunPython.noop),
    ]
