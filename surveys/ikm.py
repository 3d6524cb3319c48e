"""IKM arithmetic of PermenPAN-RB 14/2017, exact until display.

Pure Python, no Django: the views, selectors and commands call this; it calls nothing.

- NRR of an element = sum of its scores / number of its answers.
- Weighted NRR = NRR x weight, the weights normalised so they sum to exactly 1.
- IKM (1-4) = sum of weighted NRR; the converted index = IKM x 25 (25-100).
- An element's "Index" = its NRR x 25.
- Published aggregates (results taken over from an earlier system) carry only an index
  per element; their IKM is the weighted mean of those indices.

All values are `Fraction`s. Rounding happens only for display, half-up
(88.305 -> 88.31), and the grade is read off the index rounded to 2 places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from skm_portal.numbers import round_half_up  # the shell's display rounding (pure Python)

SCALE = 25
MIN_SCORE = 1
MAX_SCORE = 4

Number = int | Fraction | Decimal


@dataclass(frozen=True)
class Grade:
    letter: str
    performance: str  # "kinerja"
    lowest_index: Decimal


# Read top-down: the first grade whose lowest index the rounded index reaches.
GRADES: tuple[Grade, ...] = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)


def grade_for(index: Number) -> Grade:
    """Grade (mutu) and performance (kinerja) of a converted index (25-100)."""
    rounded = round_half_up(index, 2)
    for grade in GRADES:
        if rounded >= grade.lowest_index:
            return grade
    return GRADES[-1]


@dataclass(frozen=True)
class ElementTally:
    """What the database returns for one element: the sum and count of its scores.

    `squares` (the sum of the squared scores) is only needed for the margin of error
    (`surveys.precision`); 0 when the caller does not ask for it.
    """

    code: str
    name: str
    weight: Fraction  # relative; normalised over the questionnaire
    total: int
    answers: int
    squares: int = 0  # sum of the squared scores (margins of error)


@dataclass(frozen=True)
class Moments:
    """Respondent-level moments: respondents `n`, and the sum and the sum of squares of
    each respondent's weighted total T_j = sum_i a_i * x_ij over the elements answered,
    with `a_i` the questionnaire's weights scaled to the smallest integers."""

    n: int
    total: int
    squares: int


def integer_weights(weights: Sequence[Number]) -> list[int]:
    """The weights scaled to the smallest integers with the same ratios (equal weights: all 1)."""
    exact = [Fraction(w) for w in weights]
    if not exact:
        return []
    if any(w < 0 for w in exact) or not any(exact):
        raise ValueError("Bobot unsur harus tidak negatif dan tidak semuanya nol.")
    scale = math.lcm(*(w.denominator for w in exact))
    whole = [int(w * scale) for w in exact]
    divisor = math.gcd(*whole) or 1
    return [w // divisor for w in whole]


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    weight: Fraction  # normalised: the weights of a result sum to 1
    total: int | None  # None for published aggregates
    answers: int | None
    nrr: Fraction | None
    index: Fraction | None

    @property
    def weighted_nrr(self) -> Fraction | None:
        return None if self.nrr is None else self.nrr * self.weight

    @property
    def grade(self) -> Grade | None:
        return None if self.index is None else grade_for(self.index)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    ikm: Fraction | None  # converted index, 25-100
    published: bool = False
    moments: Moments | None = None  # None for published aggregates

    @property
    def grade(self) -> Grade | None:
        return None if self.ikm is None else grade_for(self.ikm)

    @property
    def ikm_nrr(self) -> Fraction | None:
        """The IKM on the 1-4 scale (sum of weighted NRR)."""
        return None if self.ikm is None else self.ikm / SCALE

    def element(self, code: str) -> ElementResult | None:
        return next((e for e in self.elements if e.code == code), None)

    def ranked(self) -> list[ElementResult]:
        """Elements with an index, weakest first (ties by questionnaire order)."""
        order = {e.code: i for i, e in enumerate(self.elements)}
        scored = [e for e in self.elements if e.index is not None]
        return sorted(scored, key=lambda e: (e.index, order[e.code]))


def normalise_weights(weights: Sequence[Number]) -> list[Fraction]:
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact) or not any(exact):
        raise ValueError("Bobot unsur harus tidak negatif dan tidak semuanya nol.")
    total = sum(exact, Fraction(0))
    if total == 0:
        raise ValueError("Jumlah bobot unsur harus lebih dari nol.")
    return [w / total for w in exact]


def compute(tallies: Sequence[ElementTally], respondents: int, moments: Moments | None = None) -> IkmResult:
    """The IKM of pooled responses from per-element sums and counts.

    An element nobody answered has no NRR; the weights of the answered elements are
    renormalised so the IKM stays on the same scale. No answers at all: no IKM.
    """
    for tally in tallies:
        if tally.answers < 0 or tally.total < 0:
            raise ValueError(f"Jumlah jawaban unsur {tally.code} tidak valid.")
        if tally.answers and not (MIN_SCORE * tally.answers <= tally.total <= MAX_SCORE * tally.answers):
            raise ValueError(f"Jumlah nilai unsur {tally.code} di luar rentang 1-4.")
    weights = normalise_weights([t.weight for t in tallies]) if tallies else []
    elements = []
    for tally, weight in zip(tallies, weights, strict=True):
        nrr = Fraction(tally.total, tally.answers) if tally.answers else None
        elements.append(
            ElementResult(
                code=tally.code,
                name=tally.name,
                weight=weight,
                total=tally.total,
                answers=tally.answers,
                nrr=nrr,
                index=None if nrr is None else nrr * SCALE,
            )
        )
    answered = [e for e in elements if e.nrr is not None]
    ikm = None
    if answered:
        answered_weight = sum((e.weight for e in answered), Fraction(0))
        if answered_weight:
            ikm = sum((e.nrr * e.weight for e in answered), Fraction(0)) / answered_weight * SCALE
    return IkmResult(respondents=respondents, elements=tuple(elements), ikm=ikm, moments=moments)


@dataclass(frozen=True)
class PublishedIndex:
    code: str
    name: str
    weight: Number
    index: Number


def from_published(indices: Sequence[PublishedIndex], respondents: int) -> IkmResult:
    """Results entered from an earlier system: the IKM is the weighted mean of the indices."""
    for entry in indices:
        if not (SCALE * MIN_SCORE <= Fraction(entry.index) <= SCALE * MAX_SCORE):
            raise ValueError(f"Indeks unsur {entry.code} harus antara 25 dan 100.")
    weights = normalise_weights([p.weight for p in indices]) if indices else []
    elements = tuple(
        ElementResult(
            code=p.code,
            name=p.name,
            weight=w,
            total=None,
            answers=None,
            nrr=Fraction(p.index) / SCALE,
            index=Fraction(p.index),
        )
        for p, w in zip(indices, weights, strict=True)
    )
    ikm = sum((e.index * e.weight for e in elements), Fraction(0)) if elements else None
    return IkmResult(respondents=respondents, elements=elements, ikm=ikm, published=True)


# Krejcie & Morgan (1970), as PermenPAN-RB 14/2017 prints it: population -> minimum sample.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (100000, 384),
)  # fmt: skip


def minimum_sample(population: int) -> int:
    """Minimum respondents for `population` service users.

    Between two rows of the table the larger row applies (conservative); below 10
    everyone must be asked; from 100,000 on the minimum is 384.
    """
    if population < 0:
        raise ValueError("Jumlah populasi tidak boleh negatif.")
    if population < KREJCIE_MORGAN[0][0]:
        return population
    for size, sample in KREJCIE_MORGAN:
        if population <= size:
            return sample
    return KREJCIE_MORGAN[-1][1]
