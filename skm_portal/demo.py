"""Demo office and one user per role. Passwords are for local use only."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from .models import OfficeProfile
from .roles import Role

OFFICE = {
    "government": "Pemerintah Provinsi Kalimantan Timur",
    "name": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "short_name": "DPMPTSP",
    "address": "Jalan Basuki Rahmat No.56, Kec. Samarinda Kota, Kota Samarinda, Kalimantan Timur, 75125",
    "city": "Samarinda",
    "phone": "(0541) 7807960",
    "other_phones": (
        "Konsultasi Pengaduan +6285173066557\nKonsultasi Perizinan +6285173466558\nKonsultasi LKPM +6285173266556"
    ),
    "email": "dpmptsp@kaltimprov.go.id",
    "website": "https://dpmptsp.kaltimprov.go.id",
    "head_title": "Kepala Dinas Penanaman Modal dan PTSP",
    "head_name": "H. Fahmi Prima Laksana, S.E., M.M",
    "head_rank": "Pembina Utama Muda",
    "head_nip": "196802151989031008",
}

# A neutral emblem drawn for the project (shield, star, open book), never a region's arms.
DEMO_LOGO = Path(__file__).resolve().parent / "demo_files" / "emblem.svg"
DEMO_LOGO_NAME = "logo-contoh.svg"


def _demo_logo(profile: OfficeProfile) -> None:
    """Give the demo office the drawn emblem; replace an earlier copy instead of piling up files."""
    data = DEMO_LOGO.read_bytes()
    if profile.logo:
        try:
            with profile.logo.open("rb") as current:
                if current.read() == data:
                    return
        except OSError:
            pass
        profile.logo.delete(save=False)
    profile.logo.save(DEMO_LOGO_NAME, ContentFile(data), save=False)


# username, role, full name
USERS = [
    ("admin", Role.ADMINISTRATOR, "Administrator Portal"),
    ("petugas", Role.PETUGAS_SKM, "Petugas SKM"),
    ("backoffice", Role.BACKOFFICE, "Petugas Backoffice"),
    ("kasi", Role.KASI, "Kepala Seksi Perizinan"),
    ("kabid", Role.KABID, "Heru Pratama"),
    ("dinasteknis", Role.DINAS_TEKNIS, "Petugas Badan Pertanahan"),
    ("kadis", Role.KEPALA_DINAS, "Fahmi Prima Laksana"),
    ("pemohon", Role.PEMOHON, "Test Dev"),
]


def demo_password(username: str) -> str:
    return f"demo-{username}-2024"


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create or reset the demo office and users; return (username, password, role label)."""
    profile = OfficeProfile.get()
    for field, value in OFFICE.items():
        setattr(profile, field, value)
    _demo_logo(profile)
    profile.full_clean()
    profile.save()

    User = get_user_model()
    logins = []
    for username, role, full_name in USERS:
        first, _, last = full_name.partition(" ")
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.skm.local"
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = role == Role.ADMINISTRATOR
        user.set_password(demo_password(username))
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        logins.append((username, demo_password(username), role.label))
    return logins
