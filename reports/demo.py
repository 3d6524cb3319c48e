"""Demo report: the 2024 Laporan Tindak Lanjut Hasil SKM with the seed's own text, signed by the demo kadis.

Creates a self-signed certificate at REPORT_SIGNING_P12 when there is none (passphrase
REPORT_SIGNING_PASSPHRASE, or the demo one below, printed: local use only). The seed's
11 November invitation was signed electronically, so the demo signs that letter too.
Running it again keeps existing signed versions (signed documents are never rewritten).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from skm_portal.models import OfficeProfile

from . import services, signing
from .models import Report

YEAR = 2024
DOCUMENT_DATE = dt.date(2024, 11, 24)  # "Samarinda, 24 November 2024" in the seed's kata pengantar
DEMO_PASSPHRASE = "demo-sertifikat-2024"  # noqa: S105 - demo certificate, local only
# The seed report's own words (000_8f16be62ac10b55c, "Laporan Tindak Lanjut Hasil SKM Tahun 2024"),
# sentence for sentence: the office wrote them for that year, with their dates ("Januari hingga
# Oktober 2024"), findings and closing words. Proposals drafted from data live in
# templates/reports/defaults/ and are not used here.

FOREWORD = (
    "Puji syukur kami panjatkan ke hadirat Allah SWT atas limpahan rahmat dan karunia-Nya sehingga "
    "laporan Tindak Lanjut Hasil Survei Kepuasan Masyarakat (SKM) Tahun 2024 ini dapat disusun dengan "
    "baik dan tepat waktu.\n\n"
    "Laporan ini disusun sebagai wujud komitmen Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
    "Pintu (DPMPTSP) Kalimantan Timur dalam meningkatkan kualitas pelayanan publik. Survei Kepuasan "
    "Masyarakat yang dilaksanakan secara berkala merupakan salah satu upaya evaluasi dan perbaikan "
    "untuk memastikan bahwa layanan yang diberikan selaras dengan harapan masyarakat serta sesuai "
    "dengan standar yang telah ditetapkan.\n\n"
    "Dokumen ini berisi temuan-temuan hasil SKM, analisis terhadap berbagai aspek pelayanan, serta "
    "rekomendasi langkah strategis yang akan dilaksanakan sebagai tindak lanjut. Kami berharap "
    "laporan ini tidak hanya menjadi sarana refleksi atas capaian yang telah diraih, tetapi juga "
    "menjadi pedoman untuk terus meningkatkan inovasi dalam pelayanan publik.\n\n"
    "Kami menyampaikan terima kasih kepada semua pihak yang telah berkontribusi dalam pelaksanaan "
    "survei maupun penyusunan laporan ini, termasuk masyarakat yang telah memberikan penilaian dan "
    "masukan yang berharga. Semoga laporan ini dapat menjadi pijakan untuk mewujudkan pelayanan "
    "publik yang semakin profesional, transparan, dan akuntabel serta menjadi acuan dalam rangka "
    "perumusan kebijakan bagi upaya peningkatan kualitas kedepan."
)

BACKGROUND = (
    "Pelayanan publik merupakan salah satu indikator utama keberhasilan pemerintah dalam menciptakan "
    "kesejahteraan masyarakat. Dalam hal ini, Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
    "(DPMPTSP) Provinsi Kalimantan Timur memiliki peran strategis untuk memberikan layanan yang prima "
    "kepada masyarakat, khususnya di bidang perizinan dan investasi.\n\n"
    "Sebagai wujud komitmen dalam meningkatkan kualitas pelayanan, DPMPTSP Provinsi Kalimantan Timur "
    "secara berkala melaksanakan Survei Kepuasan Masyarakat (SKM). Survei ini bertujuan untuk "
    "mengukur tingkat kepuasan masyarakat terhadap layanan yang diberikan, mengidentifikasi kekuatan, "
    "serta menemukan aspek yang memerlukan perbaikan. Hasil SKM menjadi alat evaluasi yang penting "
    "untuk memastikan bahwa pelayanan yang diberikan selaras dengan harapan masyarakat dan memenuhi "
    "standar pelayanan publik sebagaimana diamanatkan dalam Undang-Undang Nomor 25 Tahun 2009 tentang "
    "Pelayanan Publik.\n\n"
    "Dalam periode Januari hingga Oktober 2024, DPMPTSP Provinsi Kalimantan Timur telah melaksanakan "
    "SKM dengan cakupan responden yang representatif. Hasil survei menunjukkan berbagai temuan "
    "signifikan, termasuk tingkat kepuasan masyarakat terhadap aspek waktu penyelesaian, kesesuaian "
    "biaya, dan kompetensi petugas pelayanan. Di samping itu, survei juga mengungkapkan beberapa area "
    "yang memerlukan peningkatan, seperti efektivitas penyampaian informasi dan fasilitas pendukung "
    "pelayanan.\n\n"
    "Sebagai tindak lanjut atas hasil survei tersebut, DPMPTSP Provinsi Kalimantan Timur menyusun "
    "langkah-langkah strategis untuk memperbaiki layanan. Langkah ini mencakup perencanaan program "
    "peningkatan kualitas pelayanan, pelatihan sumber daya manusia, hingga pengembangan infrastruktur "
    "pendukung. Dokumen ini disusun untuk merangkum tindak lanjut hasil SKM Tahun 2024 serta "
    "memberikan gambaran strategis dalam upaya peningkatan layanan publik yang berkelanjutan di "
    "lingkungan DPMPTSP Provinsi Kalimantan Timur.\n\n"
    "Melalui tindak lanjut yang terencana dan terukur, diharapkan DPMPTSP Provinsi Kalimantan Timur "
    "dapat semakin meningkatkan kepercayaan masyarakat, memperkuat daya saing daerah, serta "
    "berkontribusi pada kemajuan Kalimantan Timur sebagai salah satu pusat pertumbuhan ekonomi "
    "nasional."
)

LEGAL_BASIS = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;\n"
    "Peraturan Menteri Dalam Negeri Nomor 24 Tahun 2006 tentang Pedoman Penyelenggaraan Pelayanan "
    "Terpadu Satu Pintu (PTSP);\n"
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
    "tentang Pelayanan Publik;\n"
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (PermenPAN-RB) Nomor 14 "
    "Tahun 2017 tentang Pedoman Survei Kepuasan Masyarakat terhadap Penyelenggaraan Pelayanan Publik;\n"
    "Peraturan Daerah Provinsi Kalimantan Timur Nomor 5 Tahun 2020 tentang Penyelenggaraan Pelayanan "
    "Publik di Provinsi Kalimantan Timur;\n"
    "Surat Edaran Menteri PANRB Nomor 12 Tahun 2023 tentang Penyelenggaraan Survei Kepuasan "
    "Masyarakat di Lingkup Instansi Pemerintah;\n"
    "Surat Edaran Sekretaris Daerah Pemerintah Provinsi Kalimantan Timur Nomor "
    "000.8.3.4/17202/B.ORG.III Pada Tanggal 23 Oktober 2024 Perihal Pengumpulan Laporan Pelaksanaan "
    "Survei Kepuasan Masyarakat Semester II Tahun 2024 dan Laporan Tindak Lanjut Hasil Survei "
    "Kepuasan Masyarakat Periode Sebelumnya."
)

RESULTS_INTRO = (
    "Berdasarkan survei kepuasan masyarakat pada Dinas Penanaman Modal dan Pelayanan Terpadu Satu "
    "Pintu (DPMPTSP) Provinsi Kalimantan Timur dan hasil analisis data yang telah dilakukan pada "
    "semester I yakni dari tanggal 1 Januari hingga 30 Juni 2024 mendapat skor 92,38 dengan kategori "
    "sangat baik dan total 283 orang responden. Sedangkan triwulan III yakni pada tanggal 1 Juli "
    "hingga 30 September 2024 mendapat skor nilai IKM 91,7 dengan predikat sangat baik terdiri dari "
    "161 orang peserta survei.\n\n"
    "Hasil Survei Kepuasan Masyarakat Periode tersebut menghasilkan nilai SKM, Nilai IKM dan mutu "
    "layanan kinerja layanan pada 9 unsur pengukuran kepuasan masyarakat terhadap pelayanan yang "
    "diterima berdasarkan peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Survei Kepuasan "
    "Masyarakat Unit Penyelenggara Pelayanan Publik ditambah 2 unsur Survei Penilaian Integritas "
    "(SPI) yakni transparansi pelayanan dan integritas pelayanan."
)

PLAN_INTRO = (
    "Sebagai upaya untuk terus meningkatkan kualitas pelayanan publik, Dinas Penanaman Modal dan "
    "Pelayanan Terpadu Satu Pintu (DPMPTSP) Provinsi Kalimantan Timur berkomitmen untuk "
    "menindaklanjuti hasil Survei Kepuasan Masyarakat (SKM) Tahun 2024. Rencana Tindak Lanjut ini "
    "dirancang berdasarkan analisis terhadap data survei yang telah diperoleh, dengan tujuan untuk "
    "mengidentifikasi area yang membutuhkan perbaikan dan memastikan keberlanjutan pelayanan yang "
    "prima sesuai harapan masyarakat. Melalui dokumen ini, kami menetapkan langkah-langkah strategis "
    "untuk meningkatkan standar pelayanan, sekaligus mewujudkan visi dan misi DPMPTSP Provinsi "
    "Kalimantan Timur sebagai penyelenggara pelayanan publik yang profesional dan responsif."
)

REALISATION_INTRO = (
    "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan "
    "adalah sebagai berikut :"
)

CONCLUSION = (
    "Laporan Tindak Lanjut Survei Kepuasan Masyarakat (SKM) ini mencerminkan pentingnya partisipasi "
    "masyarakat dalam memberikan umpan balik terkait pelayanan yang telah diberikan oleh DPMPTSP "
    "Provinsi Kalimantan Timur. Hasil survei menunjukkan bahwa sebagian besar masyarakat merasa puas "
    "dengan kualitas layanan yang diterima, meskipun terdapat beberapa area yang masih perlu "
    "ditingkatkan, seperti waktu pelayanan dan produk pelayanan. Oleh karena itu, tindak lanjut "
    "terhadap hasil survei ini telah dilakukan dengan serius dan fokus pada perbaikan aspek yang "
    "masih membutuhkan perhatian, guna memastikan bahwa pelayanan yang diberikan terus berkembang dan "
    "memenuhi harapan masyarakat. Kami berharap laporan ini dapat menjadi bahan evaluasi yang "
    "konstruktif untuk meningkatkan kualitas pelayanan publik di masa mendatang."
)


def _certificate() -> str:
    passphrase = signing.configured_passphrase() or DEMO_PASSPHRASE
    path = signing.p12_path()
    if not path.exists():
        office = OfficeProfile.get()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            signing.make_self_signed_p12(
                common_name=office.head_name or office.name, organisation=office.name, passphrase=passphrase
            )
        )
        path.chmod(0o600)
    return passphrase


def load() -> str:
    passphrase = _certificate()
    kadis = get_user_model().objects.filter(username="kadis").first()
    writer = get_user_model().objects.filter(username="petugas").first()  # the SKM officer writes, the head signs
    letter = _sign_invitation(passphrase=passphrase, user=kadis)
    report = Report.objects.filter(kind=Report.Kind.FOLLOWUP, year=YEAR).first()
    if report is not None and report.versions.exists():
        return f"Laporan: {report.title} sudah ditandatangani (versi {report.versions.count()}), dibiarkan.{letter}"
    if report is None:
        report = services.report_create(kind=Report.Kind.FOLLOWUP, year=YEAR, user=writer)
    report = services.report_update(
        report=report,
        user=writer,
        document_date=DOCUMENT_DATE,
        place="Samarinda",
        foreword=FOREWORD,
        background=BACKGROUND,
        legal_basis=LEGAL_BASIS,
        results_intro=RESULTS_INTRO,
        plan_intro=PLAN_INTRO,
        realisation_intro=REALISATION_INTRO,
        conclusion=CONCLUSION,
    )
    try:
        _pdf, version = services.report_build_now(report=report, sign=True, passphrase=passphrase, user=kadis)
    except Exception as error:  # the demo must not stop `make run`; say why signing was skipped
        return f"Laporan: {report.title} dibuat tetapi tidak ditandatangani ({error}).{letter}"
    hint = "" if signing.configured_passphrase() else f" Frasa sandi sertifikat demo: {DEMO_PASSPHRASE}"
    return f"Laporan: {version.title}, versi {version.number} ditandatangani {version.signer_name}.{letter}{hint}"


def _sign_invitation(*, passphrase: str, user) -> str:
    """The seed's 11 November invitation was signed electronically: the demo signs its copy."""
    from followup.models import Meeting

    from .invitations import invitation_sign_with_passphrase

    meeting = (
        Meeting.objects.filter(kind=Meeting.Kind.RAPAT, letter_year=YEAR, letter_number__isnull=False)
        .exclude(signed_invitations__isnull=False)
        .order_by("date", "pk")
        .first()
    )
    if meeting is None:
        return ""
    try:
        version = invitation_sign_with_passphrase(meeting=meeting, user=user, passphrase=passphrase)
    except Exception as error:  # the demo must not stop `make run`
        return f" Surat undangan {meeting.letter_reference} tidak ditandatangani ({error})."
    return f" {version.title} ditandatangani."
