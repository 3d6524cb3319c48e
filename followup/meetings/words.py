"""Dates, times and counts as Indonesian letters write them. Pure Python, no Django.

date_long(date(2024, 11, 11))        -> "Senin, 11 November 2024"
date_in_words(date(2024, 10, 30))    -> DateInWords("Rabu", "Tiga Puluh", "Oktober", "Dua Ribu Dua Puluh Empat")
count_with_words(1, "lembar")        -> "1 (satu) lembar"
time_label(time(10, 0), True)        -> "10.00 WITA s/d selesai"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def number_in_words(n: int) -> str:
    """Terbilang: 1 -> "satu", 11 -> "sebelas", 30 -> "tiga puluh", 2024 -> "dua ribu dua puluh empat"."""
    if n < 0:
        return "minus " + number_in_words(-n)
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {number_in_words(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_UNITS[hundreds]} ratus" + (f" {number_in_words(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {number_in_words(n - 1000)}" if n > 1000 else "")
    if n < 10**6:
        thousands, rest = divmod(n, 1000)
        return f"{number_in_words(thousands)} ribu" + (f" {number_in_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            big, rest = divmod(n, scale)
            return f"{number_in_words(big)} {name}" + (f" {number_in_words(rest)}" if rest else "")
    raise AssertionError("unreachable")


def title_words(n: int) -> str:
    """ "Dua Ribu Dua Puluh Empat": each word capitalised, as in a berita acara."""
    return " ".join(word.capitalize() for word in number_in_words(n).split())


def day_name(day: dt.date) -> str:
    return DAYS[day.weekday()]


def date_long(day: dt.date) -> str:
    """ "Senin, 11 November 2024"."""
    return f"{day_name(day)}, {date_plain(day)}"


def date_plain(day: dt.date) -> str:
    """ "11 November 2024"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class DateInWords:
    day_name: str
    day: str
    month: str
    year: str

    def __str__(self) -> str:
        return f"{self.day_name} tanggal {self.day} bulan {self.month} tahun {self.year}"


def date_in_words(day: dt.date) -> DateInWords:
    """The date as a berita acara writes it: "Rabu tanggal Tiga Puluh bulan Oktober tahun Dua Ribu Dua Puluh Empat"."""
    return DateInWords(day_name(day), title_words(day.day), MONTHS[day.month - 1], title_words(day.year))


def count_with_words(n: int, unit: str) -> str:
    """ "1 (satu) lembar"; zero or less -> "-" (a letter without attachment)."""
    if n <= 0:
        return "-"
    return f"{n} ({number_in_words(n)}) {unit}"


def clock(value: dt.time) -> str:
    """ "10.00", "08.30"."""
    return f"{value.hour:02d}.{value.minute:02d}"


def time_label(start: dt.time | None, until_finished: bool, end: dt.time | None = None, zone: str = "WITA") -> str:
    """ "10.00 WITA s/d selesai", "08.30 WITA", "09.00 - 12.00 WITA"."""
    if start is None:
        return ""
    if end is not None:
        return f"{clock(start)} - {clock(end)} {zone}"
    return f"{clock(start)} {zone}" + (" s/d selesai" if until_finished else "")


def roman(n: int) -> str:
    """4 -> "IV" (group headings of an invitee list)."""
    out = []
    for value, numeral in ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """Text split on blank lines, each paragraph's lines joined with spaces."""
    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def lines(text: str) -> list[str]:
    """Non-empty lines, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def numbered_points(text: str) -> list[str]:
    """Minutes' results: one point per paragraph; a typed leading "1." or "2)" is dropped,
    since the document numbers the points itself."""
    points = []
    for block in paragraphs(text):
        head, sep, rest = block.partition(" ")
        if sep and head.rstrip(".)").isdigit() and head[-1] in ".)":
            block = rest.strip()
        points.append(block)
    return points
