"""Print every speed figure next to its baseline measured in the same run, as a ratio.

    .venv/bin/python bench/run.py [name ...]     # e.g. results import submit

Each `bench/bench_<name>.py` exposes `measure() -> list[Figure]`. Every figure is printed;
the exit status is 0 only when every figure meets its goals (`Figure.ok`) and every
module measured without an error (a module that fails is reported and counts as missed).
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Figure  # noqa: E402


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.3f} s"
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
    failed: list[str] = []
    for module in modules:
        print(f"== {module}", flush=True)
        try:
            figures.extend(importlib.import_module(module).measure())
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(module)
    print()
    print(f"{'figure':<58} {'value':>12} {'baseline':>12} {'ratio':>7} {'target':>9}  {'abs. target':<14}")
    missed = False
    for f in figures:
        ratio_target = f"<= {f.target_ratio:g}x" if f.target_ratio else ""
        print(
            f"{f.name:<58} {fmt(f.value, f.unit):>12} {fmt(f.baseline_value, f.unit):>12} {f.ratio:>6.2f}x "
            f"{ratio_target:>9} {verdict(f.ratio_ok):>3}  {f.target_absolute:<10} {verdict(f.absolute_ok)}"
        )
        print(f"{'  baseline: ' + f.baseline_name:<58}" + ("" if f.has_goal else "  (no goal: MISSED)"))
        missed |= not f.ok
    for module in failed:
        print(f"{module}: failed, no figures (MISSED)")
    if not figures and not failed:
        print("no benchmark selected (MISSED)")
    return 1 if missed or failed or not figures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
