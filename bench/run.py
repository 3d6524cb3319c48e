"""Print every speed figure next to its baseline measured in the same run, as a ratio.

    .venv/bin/python bench/run.py [name ...]     # e.g. results import submit

Each `bench/bench_<name>.py` exposes `measure() -> list[Figure]`.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Figure  # noqa: E402


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.3f} s"
    if unit == "/s":
        return f"{value:,.0f}/s"
    return f"{value:,.1f} {unit}"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def main(names: list[str]) -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if m.removeprefix("bench_") in names]
    figures: list[Figure] = []
    for module in modules:
        print(f"== {module}", flush=True)
        figures.extend(importlib.import_module(module).measure())
    print()
    print(f"{'figure':<58} {'value':>12} {'baseline':>12} {'ratio':>7} {'target':>9}  {'abs. target':<14}")
    missed = False
    for f in figures:
        ratio_target = f"<= {f.target_ratio:g}x" if f.target_ratio else ""
        print(
            f"{f.name:<58} {fmt(f.value, f.unit):>12} {fmt(f.baseline_value, f.unit):>12} {f.ratio:>6.2f}x "
            f"{ratio_target:>9} {verdict(f.ratio_ok):>3}  {f.target_absolute:<10} {verdict(f.absolute_ok)}"
        )
        print(f"{'  baseline: ' + f.baseline_name:<58}")
        missed |= f.ratio_ok is False or f.absolute_ok is False
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
