"""What a results page says about one result: change per element, ranking, sample check.

Pure Python on top of `ikm`: the results pages, the command and later the report PDFs
read the same figures from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from . import ikm, precision


@dataclass(frozen=True)
class ElementRow:
    element: ikm.ElementResult
    previous_index: Fraction | None
    margin: Decimal | None = None  # 95 % margin of error of the index; None for published aggregates
    verdict: str | None = None  # "naik nyata", "turun nyata", "tidak berbeda nyata"; None without margins

    @property
    def change(self) -> Fraction | None:
        """Index now minus index in the previous period (exact; rounded only for display)."""
        if self.element.index is None or self.previous_index is None:
            return None
        return self.element.index - self.previous_index


@dataclass(frozen=True)
class SampleCheck:
    population: int | None  # service users in the period; None when not entered
    respondents: int

    @property
    def minimum(self) -> int | None:
        return None if self.population is None else ikm.minimum_sample(self.population)

    @property
    def enough(self) -> bool | None:
        return None if self.minimum is None else self.respondents >= self.minimum

    @property
    def shortfall(self) -> int:
        return max(self.minimum - self.respondents, 0) if self.minimum is not None else 0


@dataclass(frozen=True)
class ResultSummary:
    result: ikm.IkmResult
    rows: tuple[ElementRow, ...]
    previous: ikm.IkmResult | None
    sample: SampleCheck | None
    ikm_margin: Decimal | None = None
    ikm_verdict: str | None = None

    @property
    def has_margins(self) -> bool:
        return self.ikm_margin is not None or any(row.margin is not None for row in self.rows)

    @property
    def ikm_change(self) -> Fraction | None:
        if self.previous is None or self.result.ikm is None or self.previous.ikm is None:
            return None
        return self.result.ikm - self.previous.ikm

    @property
    def weakest(self) -> list[ElementRow]:
        """Rows with an index, weakest first (ties keep questionnaire order)."""
        by_code = {row.element.code: row for row in self.rows}
        return [by_code[e.code] for e in self.result.ranked()]


def summarise(
    result: ikm.IkmResult,
    *,
    previous: ikm.IkmResult | None = None,
    service_users: int | None = None,
    check_sample=True,
    margins: precision.Precision | None = None,
    previous_margins: precision.Precision | None = None,
) -> ResultSummary:
    """`margins`/`previous_margins`: the precision of each result (None: published aggregates)."""
    rows = []
    for element in result.elements:
        before = previous.element(element.code) if previous is not None else None
        rows.append(
            ElementRow(
                element=element,
                previous_index=before.index if before is not None else None,
                margin=margins.element(element.code) if margins is not None else None,
                verdict=precision.element_verdict(element.code, result, margins, previous, previous_margins),
            )
        )
    sample = SampleCheck(population=service_users, respondents=result.respondents) if check_sample else None
    ikm_verdict = None
    if margins is not None and previous_margins is not None and previous is not None:
        ikm_verdict = precision.verdict(result.ikm, margins.ikm_squared, previous.ikm, previous_margins.ikm_squared)
    return ResultSummary(
        result=result,
        rows=tuple(rows),
        previous=previous,
        sample=sample,
        ikm_margin=margins.ikm if margins is not None else None,
        ikm_verdict=ikm_verdict,
    )
