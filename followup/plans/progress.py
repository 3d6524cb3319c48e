"""How far the follow-up got, and whether it worked. Pure Python, exact arithmetic.

The PEKPPP evaluation scores how much of the follow-up plan (RTL) was completed in
four bands: below 30 %, 30 to 80 %, above 80 %, and 100 %. 30 % and 80 % themselves
fall in the middle band; everything is compared as exact fractions, never floats.

A year's progress pools the activities of all its plans (done / all), it does not
average the plans' percentages: a plan with one activity must not weigh as much as one
with ten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from surveys.ikm import grade_for, round_half_up

LOW = Fraction(30, 100)
HIGH = Fraction(80, 100)


class Band(StrEnum):
    BELOW_30 = "below_30"
    FROM_30_TO_80 = "30_80"
    ABOVE_80 = "above_80"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS = {
    Band.BELOW_30: "< 30 %",
    Band.FROM_30_TO_80: "30 - 80 %",
    Band.ABOVE_80: "> 80 %",
    Band.COMPLETE: "100 %",
}


def band_for(share: Fraction) -> Band:
    """The evaluation band of a completed share between 0 and 1."""
    if not 0 <= share <= 1:
        raise ValueError("Bagian kegiatan selesai harus antara 0 dan 1.")
    if share == 1:
        return Band.COMPLETE
    if share > HIGH:
        return Band.ABOVE_80
    if share >= LOW:
        return Band.FROM_30_TO_80
    return Band.BELOW_30


@dataclass(frozen=True)
class Progress:
    """`done` of `total` activities finished; `empty` priorities (plans) have no activity
    yet. A priority without activities is 0 % done, not absent: it counts as one
    unfinished item, alone (0 %, below 30 %) and when a year's plans are pooled."""

    done: int
    total: int
    empty: int = 0

    def __post_init__(self) -> None:
        if self.total < 0 or self.empty < 0 or not 0 <= self.done <= self.total:
            raise ValueError("Jumlah kegiatan selesai tidak valid.")

    @property
    def counted(self) -> int:
        return self.total + self.empty

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.done, self.counted) if self.counted else None

    @property
    def percent(self) -> Fraction | None:
        share = self.share
        return None if share is None else share * 100

    @property
    def band(self) -> Band | None:
        share = self.share
        return None if share is None else band_for(share)

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.done + other.done, self.total + other.total, self.empty + other.empty)


def pooled(parts: Iterable[Progress]) -> Progress:
    total = Progress(0, 0, 0)
    for part in parts:
        total = total + part
    return total


class Verdict(StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"

    # Templates ask these instead of comparing with raw strings.
    @property
    def is_improved(self) -> bool:
        return self is Verdict.IMPROVED

    @property
    def is_worsened(self) -> bool:
        return self is Verdict.WORSENED


@dataclass(frozen=True)
class ElementChange:
    """A priority element's index in the plan's period and in the next period."""

    before: Fraction
    after: Fraction

    @property
    def delta(self) -> Decimal:
        # The difference of the displayed (rounded) indices, so the page adds up.
        return round_half_up(self.after, 2) - round_half_up(self.before, 2)

    @property
    def verdict(self) -> Verdict:
        if self.delta > 0:
            return Verdict.IMPROVED
        if self.delta < 0:
            return Verdict.WORSENED
        return Verdict.UNCHANGED

    @property
    def grade_before(self) -> str:
        return grade_for(self.before).letter

    @property
    def grade_after(self) -> str:
        return grade_for(self.after).letter


def element_change(before: Fraction | None, after: Fraction | None) -> ElementChange | None:
    """None until both periods have an index for the element."""
    if before is None or after is None:
        return None
    return ElementChange(Fraction(before), Fraction(after))
