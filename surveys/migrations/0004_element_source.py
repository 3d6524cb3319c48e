"""Where each element comes from: U1-U9 PermenPAN-RB 14/2017, U10-U11 the integrity survey (SPI).

Existing questionnaires are classified by element name: the nine names of the default
questionnaire are PermenPAN-RB 14/2017, its two integrity names are SPI, anything else is
the unit's own element (so a report never calls an unknown element a PermenPAN one).
"""

from django.db import migrations, models

PERMENPAN_NAMES = {
    "persyaratan",
    "prosedur",
    "waktu pelayanan",
    "biaya/tarif",
    "produk layanan",
    "kompetensi pelaksana",
    "perilaku pelaksana",
    "sarana dan prasarana",
    "penanganan pengaduan",
}
SPI_NAMES = {"transparansi pelayanan", "integritas petugas pelayanan"}


def source_for(name: str) -> str:
    key = " ".join(name.lower().split())
    if key in SPI_NAMES:
        return "spi"
    if key in PERMENPAN_NAMES:
        return "permenpan"
    return "own"


def classify_elements(apps, schema_editor):
    Element = apps.get_model("surveys", "Element")
    for element in Element.objects.all():
        source = source_for(element.name)
        if element.source != source:
            element.source = source
            element.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_response_list_index")]

    operations = [
        migrations.AddField(
            model_name="element",
            name="source",
            field=models.CharField(
                choices=[
                    ("permenpan", "PermenPAN-RB Nomor 14 Tahun 2017"),
                    ("spi", "Survei Penilaian Integritas (SPI)"),
                    ("own", "Unsur tambahan unit pelayanan"),
                ],
                default="permenpan",
                help_text="Dasar unsur ini; laporan menyebutkan jumlah unsur per sumber.",
                max_length=10,
                verbose_name="sumber unsur",
            ),
        ),
        migrations.RunPython(classify_elements, migrations.RunPython.noop),
    ]
