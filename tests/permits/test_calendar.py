"""Working-day arithmetic: weekends, national holidays, cuti bersama, office days off."""

import datetime as dt

import pytest

from permits.calendar import WITA, WorkCalendar

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=WITA)


@pytest.fixture
def cal():
    return WorkCalendar()


def test_weekdays_are_working_days_and_weekends_are_not(cal):
    # 2025-07-07 is a Monday with no holiday that week.
    week = [dt.date(2025, 7, 7) + i * D for i in range(7)]
    assert [cal.is_working_day(day) for day in week] == [True] * 5 + [False] * 2


def test_national_holiday_and_cuti_bersama_are_off(cal):
    assert dt.date(2024, 6, 17).weekday() == 0  # Idul Adha, a Monday
    assert not cal.is_working_day(dt.date(2024, 6, 17))
    assert dt.date(2024, 6, 18).weekday() == 1  # cuti bersama Idul Adha, a Tuesday
    assert not cal.is_working_day(dt.date(2024, 6, 18))
    assert "Cuti Bersama" in cal.holiday_name(dt.date(2024, 6, 18))
    assert cal.is_working_day(dt.date(2024, 6, 19))


def test_office_day_off_is_off():
    day = dt.date(2025, 7, 9)  # a Wednesday
    assert WorkCalendar().is_working_day(day)
    assert not WorkCalendar(days_off=[day]).is_working_day(day)


def test_working_time_skips_a_weekend(cal):
    # Friday 16.00 to Monday 10.00: 8 hours of Friday plus 10 hours of Monday.
    assert cal.working_time(at(2025, 7, 11, 16), at(2025, 7, 14, 10)) == 18 * H


def test_working_time_is_zero_backwards_and_on_a_holiday(cal):
    assert cal.working_time(at(2025, 7, 14), at(2025, 7, 11)) == dt.timedelta(0)
    assert cal.working_time(at(2024, 6, 17, 8), at(2024, 6, 18, 20)) == dt.timedelta(0)


def test_working_time_converts_other_zones_to_wita(cal):
    # 2025-07-11 16.00 UTC is Saturday 00.00 WITA: nothing of it is on Friday.
    start = dt.datetime(2025, 7, 11, 16, tzinfo=dt.UTC)
    assert cal.working_time(start, start + 48 * H) == dt.timedelta(0)


def test_deadline_across_a_weekend(cal):
    # Monday 10.00 + 5 working days = next Monday 10.00.
    assert cal.deadline(at(2025, 7, 7, 10), 5) == at(2025, 7, 14, 10)
    # Thursday 10.00 + 2 working days = Monday 10.00.
    assert cal.deadline(at(2025, 7, 10, 10), 2) == at(2025, 7, 14, 10)


def test_deadline_across_a_national_holiday_and_cuti_bersama(cal):
    # Friday 14 June 2024 09.00 + 2 working days: Mon 17 (Idul Adha) and Tue 18
    # (cuti bersama) do not count; Wed 19 is the first working day after Friday, Thu 20
    # the second, so the standard ends Thu 20 at 09.00 (without holidays: Tue 18).
    assert cal.deadline(at(2024, 6, 14, 9), 2) == at(2024, 6, 20, 9)
    assert cal.working_time(at(2024, 6, 14, 9), at(2024, 6, 20, 9)) == 2 * D


def test_deadline_across_an_office_day_off():
    days_off = [dt.date(2025, 7, 8)]
    assert WorkCalendar(days_off=days_off).deadline(at(2025, 7, 7, 10), 1) == at(2025, 7, 9, 10)
    assert WorkCalendar().deadline(at(2025, 7, 7, 10), 1) == at(2025, 7, 8, 10)


def test_deadline_from_a_weekend_starts_on_monday(cal):
    assert cal.deadline(at(2025, 7, 12, 11), 1) == at(2025, 7, 15, 0)


def test_add_working_time_is_inverse_of_working_time(cal):
    start = at(2024, 6, 13, 13, 30)
    for hours in (0, 1, 10, 24, 35, 80, 200):
        end = cal.add_working_time(start, hours * H)
        assert cal.working_time(start, end) == hours * H


def test_offtime_stops_the_clock(cal):
    # Submitted Monday 7 July 2025 08.00, returned to the applicant Tuesday 08.00,
    # resubmitted Thursday 08.00: the two days with the applicant do not count.
    pause = (at(2025, 7, 8, 8), at(2025, 7, 10, 8))
    used = cal.working_time(at(2025, 7, 7, 8), pause[0]) + cal.working_time(pause[1], at(2025, 7, 11, 8))
    assert used == 2 * D
    assert cal.deadline(at(2025, 7, 7, 8), 3, pauses=[pause]) == at(2025, 7, 14, 8)


def test_file_returned_to_the_applicant_over_a_holiday(cal):
    # Submitted Thu 13 June 2024 08.00 with a standard of 3 working days. Returned
    # Fri 14 June 08.00 (1 day used), back from the applicant Wed 19 June 12.00. The
    # holiday and cuti bersama (17-18 June) fall inside the offtime: they count neither
    # as office time nor twice. 2 days remain from Wed 12.00: Fri 21 June 12.00.
    submitted = at(2024, 6, 13, 8)
    pause = (at(2024, 6, 14, 8), at(2024, 6, 19, 12))
    assert cal.working_time(submitted, pause[0]) == 1 * D
    assert cal.deadline(submitted, 3, pauses=[pause]) == at(2024, 6, 21, 12)
    # Never returned, the same file would be due on the third working day after
    # Thursday: Fri 14, Wed 19, Thu 20 at 08.00.
    assert cal.deadline(submitted, 3) == at(2024, 6, 20, 8)


def test_working_days_of_a_month(cal):
    # June 2024: 20 weekdays minus Idul Adha and its cuti bersama.
    assert sum(cal.is_working_day(dt.date(2024, 6, day)) for day in range(1, 31)) == 18


def test_naive_datetimes_are_refused(cal):
    with pytest.raises(ValueError):
        cal.working_time(dt.datetime(2025, 7, 7), dt.datetime(2025, 7, 8))
