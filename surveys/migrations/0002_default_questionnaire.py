"""The office's 11-element questionnaire (PermenPAN-RB 14/2017 U1-U9 plus SPI U10-U11)."""

from django.db import migrations

ELEMENTS = [
    ("U1", "Persyaratan",
     "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
     ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U2", "Prosedur",
     "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
     ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    ("U3", "Waktu Pelayanan",
     "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
     ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    ("U4", "Biaya/Tarif",
     "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
     ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    ("U5", "Produk Layanan",
     "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
     "dalam standar pelayanan dengan hasil yang diberikan?",
     ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U6", "Kompetensi Pelaksana",
     "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
     ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    ("U7", "Perilaku Pelaksana",
     "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
     ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah")),
    ("U8", "Sarana dan Prasarana",
     "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
     ("Buruk", "Cukup", "Baik", "Sangat baik")),
    ("U9", "Penanganan Pengaduan",
     "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
     ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik")),
    ("U10", "Transparansi Pelayanan",
     "Bagaimana pendapat Saudara tentang kecukupan informasi mengenai persyaratan, biaya, "
     "waktu dan prosedur pelayanan?",
     ("Tidak transparan", "Kurang transparan", "Transparan", "Sangat transparan")),
    ("U11", "Integritas Petugas Pelayanan",
     "Bagaimana pendapat Saudara tentang integritas petugas pelayanan, yaitu bebas dari suap, "
     "pungutan liar dan gratifikasi?",
     ("Tidak berintegritas", "Kurang berintegritas", "Berintegritas", "Sangat berintegritas")),
]  # fmt: skip


def create_questionnaire(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Element = apps.get_model("surveys", "Element")
    if Questionnaire.objects.filter(is_active=True).exists():
        return
    questionnaire = Questionnaire.objects.create(
        name="SKM DPMPTSP (11 unsur)",
        description="Unsur U1-U9 PermenPAN-RB 14/2017 ditambah U10-U11 dari Survei Penilaian Integritas.",
        is_active=True,
    )
    for position, (code, name, question, labels) in enumerate(ELEMENTS, start=1):
        Element.objects.create(
            questionnaire=questionnaire,
            code=code,
            name=name,
            question=question,
            label_1=labels[0],
            label_2=labels[1],
            label_3=labels[2],
            label_4=labels[3],
            weight=1,
            order=position,
            slot=position,
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_questionnaire, migrations.RunPython.noop)]
