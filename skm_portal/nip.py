"""NIP, the 18-digit civil-servant number: birth date (8), appointment year and month (6),
sex (1: male, 2: female), serial (3). Written "19680215 198903 1 008"."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_nip(value: str) -> str:
    return "".join(ch for ch in str(value) if not ch.isspace())


def validate_nip(value: str) -> None:
    digits = normalise_nip(value)
    if len(digits) != 18 or not digits.isdigit():
        raise ValidationError(_("NIP harus terdiri dari 18 angka."), code="nip_length")
    try:
        dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("8 angka pertama NIP harus tanggal lahir yang sah (TTTTBBHH)."), code="nip_birth"
        ) from None
    if not 1 <= int(digits[12:14]) <= 12:
        raise ValidationError(_("Angka ke-9 s/d 14 NIP harus tahun dan bulan pengangkatan (TTTTBB)."), code="nip_tmt")
    if digits[14] not in "12":
        raise ValidationError(_("Angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)."), code="nip_sex")


def format_nip(value: str) -> str:
    digits = normalise_nip(value)
    if len(digits) != 18 or not digits.isdigit():
        return str(value)
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
