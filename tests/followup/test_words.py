"""Dates, counts and times as Indonesian letters write them (pure, no database)."""

import datetime as dt

import pytest

from followup.meetings import words


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "satu"), (10, "sepuluh"), (11, "sebelas"), (15, "lima belas"), (30, "tiga puluh"),
        (99, "sembilan puluh sembilan"), (100, "seratus"), (101, "seratus satu"), (250, "dua ratus lima puluh"),
        (1000, "seribu"), (1493, "seribu empat ratus sembilan puluh tiga"), (2024, "dua ribu dua puluh empat"),
        (1_000_000, "satu juta"),
    ],
)  # fmt: skip
def test_number_in_words(n, text):
    assert words.number_in_words(n) == text


def test_berita_acara_date_of_the_seed():
    written = words.date_in_words(dt.date(2024, 10, 30))
    assert str(written) == "Rabu tanggal Tiga Puluh bulan Oktober tahun Dua Ribu Dua Puluh Empat"
    assert (written.day_name, written.month) == ("Rabu", "Oktober")


def test_every_day_of_a_year_is_written_with_its_weekday_and_month():
    day = dt.date(2024, 1, 1)  # a Monday
    while day.year == 2024:
        written = words.date_in_words(day)
        assert written.day_name == words.DAYS[day.weekday()]
        assert written.month == words.MONTHS[day.month - 1]
        assert written.day.lower() == words.number_in_words(day.day)
        day += dt.timedelta(days=1)


def test_letter_dates_and_times():
    assert words.date_long(dt.date(2024, 11, 11)) == "Senin, 11 November 2024"
    assert words.date_plain(dt.date(2024, 10, 28)) == "28 Oktober 2024"
    assert words.time_label(dt.time(10, 0), True) == "10.00 WITA s/d selesai"
    assert words.time_label(dt.time(8, 30), False) == "08.30 WITA"
    assert words.time_label(dt.time(9, 0), True, dt.time(12, 0)) == "09.00 - 12.00 WITA"
    assert words.time_label(None, True) == ""


def test_attachment_count():
    assert words.count_with_words(1, "lembar") == "1 (satu) lembar"
    assert words.count_with_words(3, "lembar") == "3 (tiga) lembar"
    assert words.count_with_words(0, "lembar") == "-"


def test_minutes_points_are_paragraphs_without_typed_numbers():
    text = "1. Rapat dibuka\noleh Kabid.\n\n2) Maklumat diperbarui.\n\n\nStandar disusun per sektor."
    assert words.numbered_points(text) == [
        "Rapat dibuka oleh Kabid.",
        "Maklumat diperbarui.",
        "Standar disusun per sektor.",
    ]


def test_roman_numerals_of_invitee_groups():
    assert [words.roman(n) for n in range(1, 6)] == ["I", "II", "III", "IV", "V"]
    assert words.roman(14) == "XIV"
