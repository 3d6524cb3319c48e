"""Which elements should the follow-up focus on? A proposal the officer confirms or changes.

Pure Python over `IkmResult`s: no database, no Django. The rules the issue names:

- ``below_a``: every element whose grade is below A, weakest first;
- ``lowest``: the lowest-ranked elements, weakest first;
- ``largest_fall``: the elements that fell since the previous period, largest fall first;
- ``combined`` (default): first the elements below A (weakest first), then those that
  fell (largest fall first), then the rest by rank, so there is always a full list.

Comparisons are exact (the indices are Fractions); an element's change is its index
now minus its index in the previous period. When both periods were computed from
responses, each change carries its verdict (surveys.precision): falls beyond what chance
explains ("turun nyata") rank before falls chance explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from surveys.ikm import ElementResult, IkmResult
from surveys.precision import SIGNIFICANT_FALL

RULE_COMBINED = "combined"
RULE_BELOW_A = "below_a"
RULE_LOWEST = "lowest"
RULE_LARGEST_FALL = "largest_fall"
RULES = (RULE_COMBINED, RULE_BELOW_A, RULE_LOWEST, RULE_LARGEST_FALL)
DEFAULT_RULE = RULE_COMBINED
DEFAULT_COUNT = 3


@dataclass(frozen=True)
class Candidate:
    """One element of the period with everything the rules look at."""

    code: str
    name: str
    index: Fraction
    grade: str
    rank: int  # 1 = weakest of the period
    previous_index: Fraction | None
    # "turun nyata" / "naik nyata" / "tidak berbeda nyata" (surveys.precision); None without margins
    change_verdict: str | None = None

    @property
    def change(self) -> Fraction | None:
        return None if self.previous_index is None else self.index - self.previous_index

    @property
    def below_a(self) -> bool:
        return self.grade != "A"

    @property
    def fell(self) -> bool:
        change = self.change
        return change is not None and change < 0

    @property
    def fall_order(self) -> tuple:
        """Falls beyond chance first ("turun nyata"), then by size of fall, then rank."""
        return (self.change_verdict is not None and self.change_verdict != SIGNIFICANT_FALL, self.change, self.rank)


@dataclass(frozen=True)
class Proposal:
    candidates: tuple[Candidate, ...]  # every scored element, weakest first
    proposed: tuple[str, ...]  # codes, in the order the rule ranks them
    rule: str
    count: int

    def is_proposed(self, code: str) -> bool:
        return code in self.proposed


def candidates(
    current: IkmResult, previous: IkmResult | None = None, verdicts: dict[str, str | None] | None = None
) -> tuple[Candidate, ...]:
    """The period's scored elements, weakest first, with their previous index if any.

    `verdicts`: {code: verdict of the change} from `surveys.precision.element_verdicts`.
    """
    result = []
    for rank, element in enumerate(current.ranked(), start=1):
        before: ElementResult | None = previous.element(element.code) if previous is not None else None
        result.append(
            Candidate(
                code=element.code,
                name=element.name,
                index=Fraction(element.index),
                grade=element.grade.letter,
                rank=rank,
                previous_index=None if before is None or before.index is None else Fraction(before.index),
                change_verdict=(verdicts or {}).get(element.code),
            )
        )
    return tuple(result)


def _ordered(rule: str, pool: tuple[Candidate, ...]) -> list[Candidate]:
    if rule == RULE_BELOW_A:
        return [c for c in pool if c.below_a]
    if rule == RULE_LOWEST:
        return list(pool)
    if rule == RULE_LARGEST_FALL:
        return sorted((c for c in pool if c.fell), key=lambda c: c.fall_order)
    # combined: below A by rank, then the others that fell by size of fall, then the rest by rank.
    below = [c for c in pool if c.below_a]
    fell = sorted((c for c in pool if c.fell and not c.below_a), key=lambda c: c.fall_order)
    rest = [c for c in pool if not c.below_a and not c.fell]
    return below + fell + rest


def propose(
    current: IkmResult,
    previous: IkmResult | None = None,
    *,
    rule: str = DEFAULT_RULE,
    count: int = DEFAULT_COUNT,
    verdicts: dict[str, str | None] | None = None,
) -> Proposal:
    """Propose at most `count` priority elements of `current` by `rule`.

    With `verdicts`, a fall beyond chance ranks before a larger fall chance explains.
    """
    if rule not in RULES:
        raise ValueError(f"Aturan prioritas tidak dikenal: {rule!r}.")
    if count < 1:
        raise ValueError("Jumlah unsur prioritas sekurang-kurangnya 1.")
    pool = candidates(current, previous, verdicts)
    chosen = _ordered(rule, pool)[:count]
    return Proposal(candidates=pool, proposed=tuple(c.code for c in chosen), rule=rule, count=count)
