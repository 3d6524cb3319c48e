"""Demo permits: agencies, permit types, office days off and files in every state.

Files are made through the real services with moments in the past, so their process
logs, durations, offtime and deadlines are what the application itself computes.
Safe to run again: master data is updated in place, files are made only once.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from surveys.models import Service

from . import complaints
from .complaint_services import complaint_file, complaint_transition
from .models import (
    Agency,
    AgencyMembership,
    Complaint,
    OfficeDayOff,
    PermitApplication,
    PermitType,
    RequiredDocument,
)
from .services import permit_apply, permit_transition
from .workflow import Action, Step

AGENCIES = [
    ("Badan Pertanahan", "BPN"),
    ("Dinas Energi dan Sumber Daya Mineral", "ESDM"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Dinas Pekerjaan Umum, Penataan Ruang dan Perumahan Rakyat", "PUPR"),
]

# code, name, working days, agency short name, documents (name, mandatory)
PERMIT_TYPES = [
    (
        "air-tanah",
        "Izin Pengambilan dan Pemanfaatan Air Tanah",
        10,
        "BPN",
        [("KTP Pemohon", True), ("NPWP", True), ("Peta Lokasi Sumur", True), ("Gambar Konstruksi Sumur", False)],
    ),
    (
        "iup-op",
        "Izin Usaha Pertambangan Operasi Produksi",
        14,
        "ESDM",
        [("KTP Direktur", True), ("Akta Pendirian Perusahaan", True), ("Peta Wilayah Izin", True)],
    ),
    (
        "ukl-upl",
        "Persetujuan Lingkungan (UKL-UPL)",
        10,
        "DLH",
        [("KTP Pemohon", True), ("Dokumen UKL-UPL", True)],
    ),
    ("reklame", "Izin Penyelenggaraan Reklame", 3, None, [("KTP Pemohon", True), ("Desain Reklame", True)]),
]

DAYS_OFF = [
    (dt.date(2024, 1, 9), "Hari Jadi Provinsi Kalimantan Timur"),
    (dt.date(2025, 1, 9), "Hari Jadi Provinsi Kalimantan Timur"),
    (dt.date(2026, 1, 9), "Hari Jadi Provinsi Kalimantan Timur"),
]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

B, KASI, KABID, DT, KADIS, P = "backoffice", "kasi", "kabid", "dinasteknis", "kadis", "pemohon"

# The ordinary path of a file, from "verifikasi pendaftaran": (action, actor).
WITH_AGENCY = [
    (Action.VERIFY_REGISTRATION, B),
    (Action.FORWARD_TO_AGENCY, B),
    (Action.AGENCY_APPROVE, DT),
    (Action.BACKOFFICE_COMPLETE, B),
    (Action.KASI_APPROVE, KASI),
    (Action.KABID_APPROVE, KABID),
    (Action.ISSUE, KADIS),
]
WITHOUT_AGENCY = [
    (Action.VERIFY_REGISTRATION, B),
    (Action.FORWARD_TO_BACKOFFICE, B),
    (Action.BACKOFFICE_COMPLETE, B),
    (Action.KASI_APPROVE, KASI),
    (Action.KABID_APPROVE, KABID),
    (Action.ISSUE, KADIS),
]


def _master_data() -> dict[str, PermitType]:
    agencies = {}
    for name, short in AGENCIES:
        agency, _ = Agency.objects.update_or_create(name=name, defaults={"short_name": short, "is_active": True})
        agencies[short] = agency
    service, _ = Service.objects.get_or_create(code="e-ptsp", defaults={"name": "Perizinan dan Non Perizinan (e-PTSP)"})
    kinds = {}
    for code, name, days, agency, documents in PERMIT_TYPES:
        kind, _ = PermitType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "service_days": days,
                "agency": agencies.get(agency),
                "survey_service": service,
                "is_active": True,
            },
        )
        for order, (doc_name, mandatory) in enumerate(documents, start=1):
            RequiredDocument.objects.update_or_create(
                permit_type=kind, name=doc_name, defaults={"order": order, "is_mandatory": mandatory}
            )
        kinds[code] = kind
    for day, description in DAYS_OFF:
        OfficeDayOff.objects.update_or_create(date=day, defaults={"description": description})
    user = get_user_model().objects.filter(username=DT).first()
    if user is not None:
        AgencyMembership.objects.get_or_create(user=user, agency=agencies["BPN"])
    return kinds


class _Story:
    """Walks one demo file through the services at given moments."""

    def __init__(self, users, kind: PermitType, start: dt.datetime):
        self.users = users
        self.moment = start
        documents = {
            doc.pk: ContentFile(PDF, name=f"{doc.name.lower().replace(' ', '-')}.pdf")
            for doc in kind.required_documents.all()
            if doc.is_mandatory
        }
        self.permit = permit_apply(
            applicant=users[P], permit_type=kind, documents=documents, declaration=True, now=start, notify=False
        )

    def then(self, action: Action, actor: str, *, after: dt.timedelta, note: str = "") -> _Story:
        self.moment += after
        self.permit = permit_transition(
            permit=self.permit,
            action=action,
            actor=self.users[actor],
            note=note,
            declaration=actor == P,
            now=self.moment,
            notify=False,
        )
        return self

    def path(self, rows, *, until: Step, every: dt.timedelta) -> _Story:
        for action, actor in rows:
            if self.permit.step == until:
                break
            if self.permit.step == Step.SELESAI:
                break
            self.then(action, actor, after=every)
        return self


def _files(users, kinds: dict[str, PermitType], now: dt.datetime) -> int:
    hour, minute, day = dt.timedelta(hours=1), dt.timedelta(minutes=1), dt.timedelta(days=1)
    made = 0

    # Like the seed's example: returned by Badan Pertanahan, revised by the applicant,
    # back at the agency's step.
    start = timezone.localtime(now - 2 * day).replace(hour=8, minute=2, second=0, microsecond=0)
    (
        _Story(users, kinds["air-tanah"], start)
        .then(
            Action.VERIFY_REGISTRATION,
            B,
            after=6 * minute + dt.timedelta(seconds=55),
            note="Berkas pendaftaran lengkap.",
        )
        .then(Action.FORWARD_TO_AGENCY, B, after=5 * hour + 36 * minute)
        .then(
            Action.AGENCY_REQUEST_REVISION,
            DT,
            after=7 * minute + dt.timedelta(seconds=41),
            note="Rekomendasi tidak disetujui: peta lokasi sumur belum mencantumkan koordinat.",
        )
        .then(
            Action.BACKOFFICE_RETURN,
            B,
            after=32 * minute + dt.timedelta(seconds=43),
            note="Silahkan lengkapi berkas permohonan dan bisa detail izin (peta lokasi dengan koordinat).",
        )
        .then(
            Action.SUBMIT_FIX,
            P,
            after=hour + 26 * minute + dt.timedelta(seconds=22),
            note="Peta lokasi sumur dengan koordinat sudah dilengkapi.",
        )
    )
    made += 1

    # Every step of the ordinary path, one file each, for both kinds of permit.
    for index, until in enumerate(
        [
            Step.VERIFIKASI_PENDAFTARAN,
            Step.VERIFIKASI_IZIN,
            Step.PERTIMBANGAN_DINAS_TEKNIS,
            Step.PROSES_BACKOFFICE,
            Step.VALIDASI_KASI,
            Step.VALIDASI_KABID,
            Step.PENETAPAN,
        ]
    ):
        start = now - day - index * 3 * hour
        kind = kinds["ukl-upl"] if until == Step.VERIFIKASI_IZIN else kinds["air-tanah"]
        _Story(users, kind, start).path(WITH_AGENCY, until=until, every=hour)
        made += 1
    # Waiting at another agency (ESDM): the demo dinas teknis user (BPN) does not see it.
    _Story(users, kinds["iup-op"], now - 5 * hour).path(WITH_AGENCY, until=Step.PERTIMBANGAN_DINAS_TEKNIS, every=hour)
    made += 1

    # Loop A waiting at backoffice, and waiting with the applicant.
    story = _Story(users, kinds["air-tanah"], now - 3 * day).path(
        WITH_AGENCY, until=Step.PERTIMBANGAN_DINAS_TEKNIS, every=hour
    )
    story.then(Action.AGENCY_REQUEST_REVISION, DT, after=4 * hour, note="Peta lokasi sumur tumpang tindih.")
    made += 1
    story = _Story(users, kinds["air-tanah"], now - 4 * day).path(
        WITH_AGENCY, until=Step.PERTIMBANGAN_DINAS_TEKNIS, every=hour
    )
    story.then(Action.AGENCY_REQUEST_REVISION, DT, after=2 * hour, note="Data NPWP tidak sesuai nama pemohon.")
    story.then(Action.BACKOFFICE_RETURN, B, after=hour, note="Mohon unggah NPWP atas nama pemohon.")
    made += 1

    # Loop B waiting with the applicant (kasi returned it).
    story = _Story(users, kinds["reklame"], now - 2 * day).path(WITHOUT_AGENCY, until=Step.VALIDASI_KASI, every=hour)
    story.then(Action.KASI_RETURN, KASI, after=2 * hour, note="Desain reklame belum mencantumkan ukuran.")
    made += 1

    # Finished after loop B at kabid: the applicant has a one-time survey link.
    story = _Story(users, kinds["air-tanah"], now - 12 * day).path(
        WITH_AGENCY, until=Step.VALIDASI_KABID, every=3 * hour
    )
    story.then(Action.KABID_RETURN, KABID, after=5 * hour, note="Lampirkan gambar konstruksi sumur.")
    story.then(
        Action.SAVE_REVISION, P, after=day + 2 * hour, note="Gambar konstruksi sumur ada di halaman 4 dokumen teknis."
    )
    story.path(WITH_AGENCY[-2:], until=Step.SELESAI, every=4 * hour)
    made += 1

    # Finished quickly, without agency.
    _Story(users, kinds["reklame"], now - 6 * day).path(WITHOUT_AGENCY, until=Step.SELESAI, every=2 * hour)
    made += 1

    # Overdue: 3 working days standard, waiting at kasi for two weeks.
    _Story(users, kinds["reklame"], now - 15 * day).path(WITHOUT_AGENCY, until=Step.VALIDASI_KASI, every=hour)
    made += 1
    return made


def _complaints(users, now: dt.datetime) -> int:
    """Complaints in every state: new, discussed, answered in time, and one overdue."""
    bpn = Agency.objects.get(short_name="BPN")
    esdm = Agency.objects.get(short_name="ESDM")
    seed_like = PermitApplication.objects.filter(applicant=users[P], revision_rounds=1).order_by("pk").first()
    day = dt.timedelta(days=1)

    def new(subject: str, description: str, *, ago: dt.timedelta, **extra) -> Complaint:
        return complaint_file(
            name=extra.pop("name", "Rina Wulandari"),
            email=extra.pop("email", "rina.wulandari@demo.skm.local"),
            phone="0812 5555 0101",
            subject=subject,
            description=description,
            now=now - ago,
            notify=False,
            **extra,
        )

    new("Belum ada kabar verifikasi", "Berkas saya sudah tiga hari belum diverifikasi.", ago=2 * day)
    discussed = new(
        "Rekomendasi dinas teknis tidak jelas",
        "Catatan revisi dari Badan Pertanahan tidak menyebut koordinat mana yang salah.",
        ago=3 * day,
        name="Test Dev",
        email="pemohon@demo.skm.local",
        permit_number=seed_like.number if seed_like else "",
        user=users[P],
    )
    complaint_transition(
        complaint=discussed,
        action=complaints.Action.CONSULT,
        actor=users[KABID],
        agencies=[bpn],
        held_at=now - 2 * day,
        note="BPN akan merinci titik koordinat yang perlu diperbaiki.",
        now=now - 2 * day + dt.timedelta(hours=2),
    )
    answered = new("Biaya yang diminta di loket", "Petugas meminta biaya tambahan.", ago=8 * day)
    complaint_transition(
        complaint=answered,
        action=complaints.Action.CONSULT,
        actor=users[KADIS],
        agencies=[bpn, esdm],
        held_at=now - 6 * day,
        note="Tidak ada pungutan untuk layanan ini; petugas sudah dikonfirmasi.",
        now=now - 6 * day + dt.timedelta(hours=1),
    )
    complaint_transition(
        complaint=answered,
        action=complaints.Action.REJECT,
        actor=users[KADIS],
        note="Tidak ditemukan pungutan. Layanan perizinan tidak dipungut biaya; laporkan bila diminta lagi.",
        now=now - 5 * day,
        notify=False,
    )
    new("Izin reklame terlambat", "Sudah lewat standar waktu tanpa pemberitahuan.", ago=14 * day)
    return 4


@transaction.atomic
def load() -> str:
    kinds = _master_data()
    names = [B, KASI, KABID, DT, KADIS, P]
    users = {user.username: user for user in get_user_model().objects.filter(username__in=names)}
    if set(users) != set(names):
        return "Perizinan: jenis izin dan dinas teknis dimuat; berkas demo dilewati (akun demo belum ada)."
    already = PermitApplication.objects.filter(applicant=users[P]).exists()
    made = 0 if already else _files(users, kinds, timezone.now())
    if not Complaint.objects.exists():
        _complaints(users, timezone.now())
    total = PermitApplication.objects.filter(applicant=users[P]).count()
    return (
        f"Perizinan: {Agency.objects.count()} dinas teknis, {PermitType.objects.count()} jenis izin, "
        f"{made} berkas demo baru ({total} berkas pemohon demo), {Complaint.objects.count()} pengaduan."
    )
