"""Demo meetings and FKP of the seed's appendix, written through the services by the demo
"petugas" user after the demo plans (`followup.plans.demo`), which they serve as evidence.
Running it again replaces the demo's own meetings: same state."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from skm_portal.models import AuditEntry

from ..changes import delete_files_on_commit
from ..plans.demo import FKP_30_OKT, IN_CHARGE, PERIOD, RAPAT_11_NOV
from ..plans.evidence import evidence_add_record
from ..plans.models import Activity
from . import attendance_services, fkp_services
from . import services as ms
from .demo_signatures import demo_signature
from .fkp_models import Recommendation
from .models import LetterCounter, Meeting
from .signals import demo_meetings_clearing

# --- meetings and FKP of the seed's appendix ----------------------------------------------
# Texts and people as in the seed's appendix: the SP/SOP evaluation meeting of 11 November
# 2024 (invitation, notula, daftar hadir) and the FKP of 30 October 2024 (invitation with
# the grouped invitee list, absensi, berita acara). Handwritten names as the seed reads them;
# ditto marks (") are written out; the absensi keeps its paper numbers (the seed shows
# rows 1-39 and 84-100).

KABID = ("Heru Pratama, S.Sos., M.Si", "198706082011011004")
NOTULIS = ("Rani Nur Ainun O., S.STP", "199510142017082003")
KADIS_RANK, KADIS_NIP = "Pembina Utama Muda", "196802151989031008"
RAPAT_TITLE = (
    "Rapat Pembahasan Evaluasi Standar Pelayanan (SP) dan Standar Operasional Pelayanan (SOP) Perizinan dan Non "
    "Perizinan"
)
RAPAT = {
    "title": RAPAT_TITLE,
    # The notula's wording (seed: "Standar Operasional Prosedur"); the invitation and the daftar hadir
    # share this one agenda, where the seed's paper copies wrote "Standar Operasional Pelayanan".
    "agenda": "Pembahasan Evaluasi Standar Pelayanan (SP) dan Standar Operasional Prosedur (SOP) Perizinan dan Non "
    "Perizinan",
    "date": RAPAT_11_NOV,
    "start_time": dt.time(10, 0),
    "until_finished": True,
    "place": "Ruang Rapat APT Pranoto",
    "place_detail": "Ruang Rapat APT. Pranoto Kantor DPMPTSP Provinsi Kalimantan Timur, Jalan Basuki Rahmat Nomor 56 "
    "Samarinda",
    "chair_position": "Kepala Bidang Layanan Perizinan dan Non Perizinan DPMPTSP Provinsi Kalimantan Timur",
    "chair_name": KABID[0],
    "chair_nip": KABID[1],
    "minute_taker_name": NOTULIS[0],
    "minute_taker_nip": NOTULIS[1],
    "letter_date": RAPAT_11_NOV,
    "classification_code": "500.16.7.2",
    "unit_code": "DPMPTSP-IV",
    "nature": "Penting",
    "attachment_sheets": 1,
    "subject": "Undangan",
    "invitees_attached": True,
    "addressee_place": "Tempat",
    "opening": "Dalam rangka menindaklanjuti hasil Forum Komunikasi Publik terkait dengan Standar Pelayanan perizinan "
    "dan non perizinan, maka bersama ini kami mengundang Bapak/Ibu/Sdr untuk dapat hadir pertemuan rapat yang akan "
    "dilaksanakan pada :",
    "closing": "Demikian kami sampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
    "signer_title": "Kepala",
    "signer_name": "Fahmi Prima Laksana, SE., M.M",
    "signer_rank": KADIS_RANK,
    "signer_nip": KADIS_NIP,
    "carbon_copy": "Pj. Gubernur Kalimantan Timur di Samarinda",
}
RAPAT_INVITEES = [
    "Kepala Bidang Layanan Perizinan dan Non Perizinan",
    "Pejabat Fungsional Bidang Layanan Perizinan dan Non Perizinan",
    "Staf ASN dan Non ASN Bidang Layanan Perizinan dan Non Perizinan",
]
RAPAT_MINUTES = {
    "basis": "Surat Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Timur Nomor "
    "500.16.7.2/1493/DPMPTSP-IV/2024 Tanggal 11 November 2024 Hal: Undangan Rapat.",
    "start_time": dt.time(9, 0),  # the notula says 09.00 WITA, the invitation 10.00 WITA
    "participants": "\n".join(
        [
            "Penata Perizinan Ahli Muda Bidang Layanan Perizinan dan Non Perizinan DPMPTSP Provinsi Kalimantan Timur",
            "Staf Bidang Layanan Perizinan dan Non Perizinan DPMPTSP Provinsi Kalimantan Timur",
            "Staf Sekretariat Sub Bagian Perencanaan Program DPMPTSP Provinsi Kalimantan Timur",
        ]
    ),
    "results": "\n\n".join(
        [
            "Rapat dipimpin dan dibuka oleh Kepala Bidang Layanan Perizinan dan Non Perizinan DPMPTSP Provinsi "
            "Kalimantan Timur. Tujuan pelaksanaan rapat, yaitu membahas penyesuaian terhadap Standar Pelayanan dan "
            "Standar Operasional Prosedur serta Perubahan Maklumat Pelayanan pada Bidang Layanan Perizinan dan Non "
            "Perizinan DPMPTSP Provinsi Kalimantan Timur.",
            "Berdasarkan hasil Forum Konsultasi Publik (FKP) terkait Penyusunan Standar Pelayanan DPMPTSP Provinsi "
            "Kalimantan Timur Tahun 2024 yang telah dilaksanakan di Hotel Fugo Samarinda, DPMPTSP Provinsi "
            "Kalimantan Timur memiliki kewajiban untuk memperbaharui Maklumat Pelayanan, Standar Pelayanan, dan "
            "Standar Operasional Prosedur (SOP) guna memastikan bahwa setiap proses pelayanan sesuai dengan kebutuhan "
            "dan harapan masyarakat, serta mematuhi ketentuan peraturan yang berlaku, demi tercapainya pelayanan "
            "publik yang lebih efektif, efisien, dan transparan.",
            "Maklumat Pelayanan akan disesuaikan dengan ketentuan yang tertuang dalam Peraturan Menteri "
            "Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (PermenpanRB) Nomor 15 Tahun 2014, yang mengatur "
            "tentang Pedoman Standar Pelayanan, sebagai upaya memastikan bahwa pelayanan yang diberikan memenuhi "
            "standar yang telah ditetapkan dan dapat memberikan kemudahan serta kepuasan bagi masyarakat.",
            "Menyusun dan menetapkan format Standar Pelayanan serta Standar Operasional Prosedur (SOP) untuk Bidang "
            "Layanan Perizinan dan Non Perizinan di DPMPSTP Provinsi Kalimantan Timur, yang disusun berdasarkan "
            "ketentuan dalam Peraturan Gubernur Kalimantan Timur Nomor 31 Tahun 2022 untuk Perizinan Berusaha pada "
            "OSS RBA, serta Peraturan Gubernur Kalimantan Timur Nomor 40 Tahun 2023 untuk Izin dan Non Izin pada "
            "E-PTSP.",
            "Standar Operasional Prosedur disusun berdasarkan sektor kegiatan usaha, sementara Standar Pelayanan "
            "disusun berdasarkan produk perizinan dan non perizinan, yaitu Perizinan Berusaha untuk OSS RBA / Izin "
            "dan Non-Izin untuk E-PTSP.",
        ]
    ),
}
# (name, instansi, L/P, usia) as on the paper daftar hadir; '"' rows written out.
RAPAT_ATTENDEES = [
    ("Heru Pratama", "DPMPSTSP", "L", 37), ("Ani Ratna Sari", "DPMPSTSP", "P", 50),
    ("R. Navianjiah", "DPMPSTSP", "L", 51), ("Vilba Asu", "DPMPSTSP", "P", 35),
    ("Ence Deary", "DPMPSTSP", "P", 31), ("Andia Juvanti Putri", "DPMPSTSP", "P", 26),
    ("Pani N. Aisnur O", "DPMPSTSP", "P", 29), ("Jeprianyah", "DPMPSTSP Kaltim", "L", 29),
    ("Lutfi Abdul Jalil", "DPMPSTSP Kaltim", "L", 33), ("Abda Aulia Putri", "DPMPSTSP", "P", None),
    ("Wahyu Kharis", "DPMPSTSP", "L", 31), ("Hermani Tamiha", "DPMPSTSP", "P", 35),
    ("eli", "DPMPSTSP", "P", 33), ("Kharis M.", "DPMPSTSP", "L", 41), ("Sakti S.", "DPMPSTSP", "L", 37),
    ("WISNU", "DPMPSTSP", "L", None), ("GOSUR", "DPMPSTSP", "L", None), ("ERI", "DPMPSTSP", "P", None),
    ("Ridha N.", "DPMPSTSP", "L", None), ("Awang Usia", "DPMPSTSP", "L", None),
]  # fmt: skip

FKP_TITLE = "Forum Konsultasi Publik (FKP) Penyusunan Standar Pelayanan DPMPTSP Provinsi Kalimantan Timur Tahun 2024"
FKP = {
    "title": FKP_TITLE,
    "agenda": "Forum Konsultasi Publik (FKP) Penyusunan Standar Pelayanan DPMPTSP Provinsi Kalimantan Timur Tahun 2024",
    "date": FKP_30_OKT,
    "start_time": dt.time(8, 30),
    "until_finished": False,
    "place": "Fugo Hotel Samarinda\nBatara Meeting Room lantai 3",
    "place_detail": "",
    "chair_position": "Kepala Bidang Layanan Perizinan dan Non Perizinan DPMPTSP Provinsi Kalimantan Timur",
    "chair_name": KABID[0],
    "chair_nip": KABID[1],
    "minute_taker_name": "",
    "minute_taker_nip": "",
    "material_url": "https://bit.ly/FKP_SP_DPMPTSP",
    "letter_date": dt.date(2024, 10, 28),
    "classification_code": "000.8.3.2",
    "unit_code": "DPMPTSP-SEKR",
    "nature": "Penting",
    "attachment_sheets": 1,
    "subject": FKP_TITLE.replace("Forum", "Undangan Forum", 1),
    "invitees_attached": True,
    "addressee_place": "Samarinda",
    "opening": "Dalam upaya Penyusunan Standar Pelayanan (SP) Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu "
    "(DPMPTSP) Provinsi Kalimantan Timur Tahun 2024, maka dengan ini kami mengundang Bapak / Ibu untuk dapat hadir "
    "pada :",
    "closing": "Mengingat pentingnya acara dimaksud, diharapkan kehadiran Bapak/Ibu untuk tidak diwakilkan. Untuk "
    "koordinasi dan konfirmasi lebih lanjut dapat menghubungi Sdr. Decky Diyan Kusuma (HP. 0852-5072-3285).\n\n"
    "Demikian sampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
    "signer_title": "Kepala Dinas,",
    "signer_name": "Fahmi Prima Laksana, SE, MM",
    "signer_rank": KADIS_RANK,
    "signer_nip": KADIS_NIP,
    "carbon_copy": "",
}
FKP_GROUPS = [
    ("UNSUR PEMERINTAH PROVINSI KALIMANTAN TIMUR", "pemerintah", [
        "Kepala Biro Ekonomi Setda Provinsi Kalimantan Timur",
        "Kepala Biro Organisasi Setda Provinsi Kalimantan Timur",
        "Inspektur Wilayah Provinsi Kalimantan Timur",
        "Kepala Bappeda Provinsi Kalimantan Timur",
        "Kepala Bapenda Provinsi Kalimantan Timur",
        "Kepala Dinas ESDM Prov. Kaltim",
        "Kepala Dinas Lingkungan Hidup Prov. Kaltim",
        "Kepala Dinas PUPR PERA Prov. Kaltim",
    ]),
    ("UNSUR AKADEMISI", "akademisi", ["Dekan Fakultas Ilmu Sosial dan Ilmu Politik Universitas Mulawarman"]),
    ("UNSUR ASOSIASI DAN LSM", "asosiasi_lsm", [
        "Sdr. H. Kursani (Pertamisi)",
        "Sdr. Berzhandy (Laskar Borneo Nusantara)",
        "Gerakan Pemuda Asli Kalimantan (3 orang)",
        "Pemuda Pancasila (3 orang)",
        "PERHAPI Kalimantan Timur (3 orang)",
        "IAGI Kalimantan Timur (3 orang)",
    ]),
    ("MEDIA MASSA", "media", [
        "Editorial Kaltim (3 orang)",
        "Tribun Kaltim (3 orang)",
        "Amsindo Kaltim (Asosiasi Media Sosial & Siber Kaltim) (3 orang)",
    ]),
    ("DPMPTSP PROVINSI KALIMANTAN TIMUR", "internal", [
        "Sekretaris;",
        "Kepala Bidang Layanan Perizinan dan Non Perizinan;",
        "Kepala Bidang Layanan Pengaduan dan Informasi Perizinan;",
        "Kepala Bidang Perencanaan dan Pengembangan Iklim Penanaman Modal;",
        "Kepala Bidang Promosi Penanaman Modal;",
        "Kepala Bidang Pengendalian Pelaksanaan;",
        "Kepala Sub Bagian Umum;",
        "Penata Kelola Penanaman Modal Ahli Muda (Nimo Rozaldi, S.E);",
        "Penata Kelola Penanaman Modal Ahli Muda (Sri Ayu, S.E., M.Si);",
        "Penata Kelola Penanaman Modal Ahli Muda (Indah Eliana, S.Hut);",
        "Penata Kelola Penanaman Modal Ahli Muda (Fatimah Agustina, S.Hut);",
        "Penata Kelola Penanaman Modal Ahli Muda (Muhammad Fachrial Ludfie, S.E., M.M);",
        "Penata Kelola Penanaman Modal Ahli Muda (Dra. Nur Isnawiyah);",
        "Penata Perizinan Ahli Muda (Ani Ratna Sari, S.P);",
        "Penata Perizinan Ahli Muda (Rachmadian Noviansjah, S.T);",
        "Penata Perizinan Ahli Muda (Budi Santoso, S.E);",
        "Analis Pengembangan Potensi Daerah (Isna Galuh Handayani, S.Hut.);",
        "Analis Perencanaan Anggaran (Vida Ayu Permata Sari, ST);",
        "Arsiparis Ahli Pertama (Dety Novita Ariesty, S.E);",
        "Arsiparis Terampil (Yuliani, A.Md);",
        "Seluruh Staf Bidang Layanan Perizinan dan Non Perizinan;",
        "Seluruh Staf Bidang Layanan Pengaduan dan Informasi Perizinan;",
        "Staf Bidang Perencanaan dan Pengembangan Iklim Penanaman Modal (3 orang);",
        "Staf Bidang Promosi Penanaman Modal (3 orang);",
        "Staf Bidang Pengendalian Pelaksanaan (3 orang);",
        "Staf Sekretariat (5 orang)",
    ]),
]  # fmt: skip
# (no., name, instansi/jabatan, L/P, usia) of the absensi; "- - -" left empty.
FKP_ATTENDEES = [
    (1, "XLOER ADENANY", "DPMPSTP / SEKRETARIS", "L", 57), (2, "Piri Zulfan", "FISIP Unswal", "P", 46),
    (3, "Yasni Tri D", "DESKSI KALIM", "P", 56), (4, "TANDI SOENARJO", "PERTAMISI / KETUA", "L", 57),
    (5, "STANG HIDAYAT", "PERTAMISI DPP", "L", 50), (6, "Krisnani", "PERTAMISI DPP", "L", 54),
    (7, "AGUS W.", "PERHAPI", "L", 52), (8, "HER PRADANA", "DPMPSTP", "L", 57),
    (9, "Pagud Brilliant", "DPMP KALIM", "L", 27), (10, "Imahati Samudra", "LASI KALTIM", "L", 35),
    (11, "Muhammad Saiful", "DEMPSTP Prov Kalimantan", "L", 29),
    (12, "Dr. Nur Ezzati, S.T., M.Si", "PD PERHAPI KALTIM", "P", None), (13, "Maulop, P.", "PERTAMISI", "P", None),
    (14, "Rizka An", "", "L", None), (15, "Ahmad Rizki P", "", "L", None), (16, "Yunus", "DPMPSTP", "L", None),
    (17, "Wahid", "Inspektorat Kalim", "L", 59), (18, "Detti R", "", "L", 24),
    (19, "Xir Sajjidi", "DLH Prov. Kaltim", "P", 41), (20, "Lina Hidayat", "DLH Prov Kaltim", "L", 48),
    (21, "Pegay Gun", "Galangan Kita", "L", 26), (22, "Wahid G", "", "L", 32),
    (23, "Angga Rizkiy", "Administrasi Com", "L", 24), (24, "Budi S", "DPMPSTP", "L", 55),
    (25, "Ani Fatma Sari", "DPMPSTP", "P", 50), (26, "Ran N. Anam D", "DPMPSTP", "P", 29),
    (27, "Xir Anunggal", "", "P", 28), (28, "Lina S Handayani", "", "P", None),
    (29, "Hermit Supriyanto", "", "P", None), (30, "Muhammad Wahyuni", "", "P", 25), (31, "Aulia W", "", "L", 29),
    (32, "Latif Abdul Saleh", "", "L", 29), (33, "Ady Wahyuni", "", "L", 41), (34, "Tika Anggraeni", "", "P", 25),
    (35, "Musana", "", "P", 22), (36, "Amir Syah L", "", "P", 30), (37, "Rini Apriani", "", "P", 30),
    (38, "Halimah", "DPMPSTP", "P", 40), (39, "Kiki Pradana C", "", "L", 35),
    (84, "Narwa Smeriva Hadison", "", "P", 16), (85, "Dety Novita A.", "DPKPTSP Prov. Kalimantan", "P", 35),
    (86, "Talra", "", "P", 42), (87, "Milia Ananta", "", "L", 52), (88, "Anita Nani F.", "", "P", 38),
    (89, "Vilda Ayu", "DEMPSP", "P", 35), (90, "Wahyu Haki", "SPMPSP", "L", 33),
    (91, "Fatmali Agustina", "", "P", 45), (92, "Radhyan F.", "", "L", 24), (93, "Elian Octavian", "SPMPSP", "P", 33),
    (94, "Aulia Juwanti Putri", "DEMPSP", "P", 26), (95, "Aida Aulia Putri", "", "P", 22), (96, "Wisni", "", "L", 29),
    (97, "Abdul Gapor", "", "L", 24), (98, "Ropy", "", "L", 32), (99, "Bagus", "", "L", 27), (100, "Rilva", "", "L", 29),
]  # fmt: skip
FKP_ROWS = [
    (
        "Melakukan penyederhanaan proses prosedur perizinan untuk percepatan penyelesaian",
        "Mengevaluasi dan menyederhanakan proses perizinan Standar Prosedur Operasional",
    ),
    (
        "Perubahan landasan hukum pada Standar Pelayanan (sumber link https://bit.ly/FKP_SP_DPMPTSP )",
        "Mengupdate perubahan peraturan pada landasan hukum yang berlaku",
    ),
    (
        "Persyaratan pada Standar Pelayanan tidak dicantumkan secara detail",
        "Menyampaikan secara detail persyaratan sesuai ketentuan perizinan",
    ),
    (
        'Jangka waktu pelayanan menyesuaikan dengan kondisi riil dengan satuan "hari" dan berkoordinasi dengan '
        "Perangkat Daerah Teknis untuk menyepakati waktu penyelesaian izin pada sektor pertambangan",
        "Melakukan pertemuan/ agenda rapat untuk menyepakati waktu penyelesaian izin pada sektor pertambangan "
        "berdasarkan Pergub Nomor 31 Tahun 2022 beserta Perubahannya",
    ),
]
# (name, no. HP, L/P, perwakilan) of the berita acara.
FKP_REPRESENTATIVES = [
    ("Ignatius Ryan Gamas", "08125545310", "L", "Ombusman RI"),
    ("Walidin, S.E., Ak., M.Si", "081253556694", "L", "Inspektorat Setda Prov. Kaltim"),
    ("Noer Adenany", "08125857388", "L", "Sekretaris DPMPTSP"),
    ("Heru Pratama, S.Sos., M.Si", "08112998687", "L", "Kabid LPNP"),
    ("Ir. Tandi Soenarto", "08132665497", "L", "Ketua PERTAMISI"),
    ("Dr. Nur Efendi, S.T., M.Si.", "08529346333", "L", "PD PERHAPI Kaltim"),
    ("Yenny Tri D", "08539068820", "P", "DESDM Prov. Kaltim"),
    ("Dini Zulfiani", "08125513100", "P", "Fisip UNMUL"),
]
BERITA_ACARA = {
    "place": "Samarinda",
    "signed_on": FKP_30_OKT,
    "left_title": "Kepala Bidang Layanan Perizinan\ndan Non Perizinan (LPNP),",
    "left_name": KABID[0],
    "left_rank": "Penata Tingkat I",
    "left_nip": KABID[1],
    "right_title": "Kepala Dinas,",
    "right_name": "Fahmi Prima Laksana, SE, MM",
    "right_rank": KADIS_RANK,
    "right_nip": KADIS_NIP,
}
LETTER_NUMBERS = {RAPAT_TITLE: 1493, FKP_TITLE: 1457}


def _clear_meetings() -> None:
    meetings = Meeting.objects.filter(title__in=[RAPAT_TITLE, FKP_TITLE])
    files = [f for f in meetings.values_list("attendance_scans__file", flat=True) if f]
    years = {m.letter_year for m in meetings if m.letter_year}
    # The demo's own history goes with its meetings (the log keeps every other record's).
    AuditEntry.objects.filter(
        app="followup",
        links__object_type="followup.meeting",
        links__object_id__in=[str(pk) for pk in meetings.values_list("pk", flat=True)],
    ).delete()
    # Other apps' records of these meetings go first (reports: signed invitations; reports.demo signs again).
    demo_meetings_clearing.send(sender=Meeting, meetings=meetings)
    meetings.delete()
    # The demo's numbers were taken from the paper register: give the year's counter back
    # to the highest number still in use, so loading twice leaves the same state.
    for year in years:
        highest = Meeting.objects.filter(letter_year=year).order_by("-letter_number").first()
        LetterCounter.objects.filter(year=year).update(last=highest.letter_number if highest else 0)
    delete_files_on_commit(files)


def load(*, user) -> str:
    _clear_meetings()
    fkp = ms.meeting_create(user=user, kind=Meeting.Kind.FKP, **FKP)
    fkp = ms.invitation_assign_number(meeting=fkp, user=user, number=LETTER_NUMBERS[FKP_TITLE])
    for heading, unsur, lines in FKP_GROUPS:
        ms.invitee_group_save(meeting=fkp, user=user, heading=heading, unsur=unsur, lines=lines)
    for number, name, institution, sex, age in FKP_ATTENDEES:
        attendance_services.attendee_add(
            meeting=fkp, user=user, number=number, name=name, institution=institution, sex=sex, age=age
        )
    fkp_services.berita_acara_save(meeting=fkp, user=user, **BERITA_ACARA)
    rows = [
        fkp_services.recommendation_add(meeting=fkp, user=user, problem=problem, recommendation=text)
        for problem, text in FKP_ROWS
    ]
    for name, phone, sex, represents in FKP_REPRESENTATIVES:
        fkp_services.representative_add(
            meeting=fkp, user=user, name=name, phone=phone, sex=sex, represents=represents,
            signature=demo_signature(name),
        )  # fmt: skip

    rapat = ms.meeting_create(user=user, kind=Meeting.Kind.RAPAT, **RAPAT)
    rapat = ms.invitation_assign_number(meeting=rapat, user=user, number=LETTER_NUMBERS[RAPAT_TITLE])
    ms.invitee_group_save(meeting=rapat, user=user, lines=RAPAT_INVITEES)
    ms.minutes_save(meeting=rapat, user=user, **RAPAT_MINUTES)
    # The meeting's participants signed in on the QR page as it began, each drawing a signature.
    began = timezone.make_aware(dt.datetime.combine(rapat.date, rapat.start_time))
    for name, institution, sex, age in RAPAT_ATTENDEES:
        attendance_services.attendee_checkin(
            meeting=rapat, name=name, institution=institution, sex=sex, age=age,
            signature=demo_signature(name), now=began,
        )  # fmt: skip
    attendance_services.checkin_set_closed(meeting=rapat, user=user, closed=True)

    # The meeting of 11 November took up the FKP's procedure and legal-basis rows (notula V.2-V.5).
    activity = Activity.objects.filter(
        plan__period__name=PERIOD, title="Evaluasi Standar Pelayanan dan Standar Operasional Prosedur"
    ).first()
    for row in rows[:2]:
        fkp_services.recommendation_update(
            recommendation=row,
            user=user,
            problem=row.problem,
            recommendation_text=row.recommendation,
            completion_period=row.completion_period,
            due_date=None,
            responsible_unit=IN_CHARGE,
            activity=activity,
            followup_meeting=rapat,
            progress_note="Dibahas pada rapat evaluasi Standar Pelayanan dan SOP tanggal 11 November 2024.",
        )
        fkp_services.recommendation_set_status(recommendation=row, user=user, status=Recommendation.Status.IN_PROGRESS)
    if activity is not None:
        for meeting in (rapat, fkp):
            evidence_add_record(activity=activity, user=user, record=meeting)
    return (
        f"Rapat: {rapat.letter_reference} ({rapat.attendees.count()} hadir); "
        f"FKP: {fkp.letter_reference} ({fkp.attendees.count()} hadir, {len(rows)} rekomendasi)."
    )
