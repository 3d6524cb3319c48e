"""How sure is an index? The 95 % margin of error of the IKM and of each element's index.

Pure Python, no Django: selectors supply the moments, pages and reports call these.

Method (README, "Ketelitian indeks"):

- Element i with n_i answers, sum S_i and sum of squares Q_i: the sample variance
  s_i^2 = (Q_i - S_i^2 / n_i) / (n_i - 1); the margin of its index (25-100 scale) is
  25 x 1,96 x s_i / sqrt(n_i) x fpc.
- The IKM: each respondent's weighted total T_j = sum_i a_i x_ij, with a_i the element
  weights scaled to the smallest whole numbers (equal weights: all 1). With the moments
  n, sum T and sum T^2 of the respondents who answered every element, s_T as above and
  the margin 25 x 1,96 x s_T / (sum_i a_i) / sqrt(n) x fpc. For complete answers the IKM
  is 25 x mean(T) / sum a_i, so this is its exact standard error. "Every element" means
  every element anyone answered in the result, as the IKM leaves the others out.
- fpc = sqrt((N - n) / (N - 1)), the finite-population correction, when N, the number
  of service users in the period, is known; else 1. An N smaller than n contradicts the
  data and is ignored (no correction). Fewer than 2 answers: no margin.
- Two values differ "nyata" (beyond what chance explains at 95 %) when
  |a - b| > 1,96 x sqrt(se_a^2 + se_b^2), se = margin / 1,96, i.e. when
  (a - b)^2 > margin_a^2 + margin_b^2.

Everything is exact (Fractions) up to one square root taken in Decimal at 50 digits;
display rounds half-up to 2 places like every other figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

from .ikm import SCALE, ElementTally, Moments, Number, integer_weights

Z95 = Fraction(196, 100)
SIGNIFICANT_RISE = "naik nyata"
SIGNIFICANT_FALL = "turun nyata"
NOT_SIGNIFICANT = "tidak berbeda nyata"
VERDICTS = (SIGNIFICANT_RISE, SIGNIFICANT_FALL, NOT_SIGNIFICANT)


def _fpc_squared(n: int, population: int | None) -> Fraction:
    if population is None or population < n or population < 2:
        return Fraction(1)
    return Fraction(population - n, population - 1)


def _variance(n: int, total: int, squares: int) -> Fraction:
    return (Fraction(squares) - Fraction(total * total, n)) / (n - 1)


def sqrt(value: Fraction) -> Decimal:
    """The square root of an exact non-negative value, correctly rounded to 50 digits."""
    if value < 0:
        raise ValueError("negative variance")
    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(value.numerator) / Decimal(value.denominator)).sqrt()


def element_margin_squared(tally: ElementTally, population: int | None = None) -> Fraction | None:
    """The squared 95 % margin of the element's index; None with fewer than 2 answers."""
    n = tally.answers
    if n < 2:
        return None
    if tally.squares < tally.total:  # scores are >= 1, so sum x^2 >= sum x: not supplied
        raise ValueError(f"Jumlah kuadrat nilai unsur {tally.code} tidak tersedia.")
    variance = _variance(n, tally.total, tally.squares)
    return (SCALE * Z95) ** 2 * variance / n * _fpc_squared(n, population)


def ikm_margin_squared(moments: Moments, weights: Sequence[int], population: int | None = None) -> Fraction | None:
    """The squared 95 % margin of the IKM from respondent moments of T_j = sum a_i x_ij."""
    n = moments.n
    if n < 2 or not weights:
        return None
    weight_sum = sum(weights)
    variance = _variance(n, moments.total, moments.squares)
    return (SCALE * Z95) ** 2 * variance / Fraction(weight_sum) ** 2 / n * _fpc_squared(n, population)


@dataclass(frozen=True)
class Precision:
    """Squared margins (exact) of one result: the IKM and each element by code."""

    ikm_squared: Fraction | None
    elements_squared: dict[str, Fraction | None] = field(default_factory=dict)

    @property
    def ikm(self) -> Decimal | None:
        return None if self.ikm_squared is None else sqrt(self.ikm_squared)

    def element(self, code: str) -> Decimal | None:
        squared = self.elements_squared.get(code)
        return None if squared is None else sqrt(squared)

    @property
    def elements(self) -> dict[str, Decimal | None]:
        return {code: self.element(code) for code in self.elements_squared}


def precision(tallies: Sequence[ElementTally], moments: Moments, population: int | None = None) -> Precision:
    """Margins of a result computed from responses: per element and of the IKM.

    The IKM leaves out elements nobody answered (`ikm.compute` renormalises), so the
    divisor sums the weights a_i of the answered elements only. The a_i are scaled over the
    whole layout, as the tallies scale them when they sum each respondent's T_j
    (`surveys.tallies`), so the moments and the divisor speak the same units.
    """
    scaled = integer_weights([t.weight for t in tallies]) if tallies else []
    weights = [a for a, t in zip(scaled, tallies, strict=True) if t.answers]
    return Precision(
        ikm_squared=ikm_margin_squared(moments, weights, population),
        elements_squared={t.code: element_margin_squared(t, population) for t in tallies},
    )


def verdict(
    current: Number | None,
    current_margin_squared: Fraction | None,
    previous: Number | None,
    previous_margin_squared: Fraction | None,
) -> str | None:
    """ "naik nyata", "turun nyata" or "tidak berbeda nyata"; None when a margin is unknown."""
    if None in (current, previous, current_margin_squared, previous_margin_squared):
        return None
    difference = Fraction(current) - Fraction(previous)
    if difference**2 > current_margin_squared + previous_margin_squared:
        return SIGNIFICANT_RISE if difference > 0 else SIGNIFICANT_FALL
    return NOT_SIGNIFICANT


def element_verdict(
    code: str, current, current_precision: Precision | None, previous, previous_precision: Precision | None
) -> str | None:
    """The verdict of one element's change between two results (IkmResults) with their precisions."""
    if current_precision is None or previous_precision is None or current is None or previous is None:
        return None
    now, before = current.element(code), previous.element(code)
    return verdict(
        None if now is None else now.index,
        current_precision.elements_squared.get(code),
        None if before is None else before.index,
        previous_precision.elements_squared.get(code),
    )


def element_verdicts(current, current_precision, previous, previous_precision) -> dict[str, str | None]:
    """{code: verdict} for every element of `current` (an IkmResult) against `previous`."""
    return {
        e.code: element_verdict(e.code, current, current_precision, previous, previous_precision)
        for e in current.elements
    }
