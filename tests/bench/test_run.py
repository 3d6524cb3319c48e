"""bench/run.py exits 0 only when every figure meets its goals, and prints them all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run  # noqa: E402
from common import Figure  # noqa: E402


def figure(**goals) -> Figure:
    return Figure(name="x", value=2.0, unit="s", baseline_name="b", baseline_value=1.0, **goals)


@pytest.mark.parametrize(
    ("goals", "ok"),
    [
        ({"target_ratio": 2.0}, True),  # 2.0 s against 1.0 s: exactly 2x
        ({"target_ratio": 1.5}, False),
        ({"target_absolute": "< 3 s", "absolute_ok": True}, True),
        ({"target_ratio": 2.0, "target_absolute": "< 1 s", "absolute_ok": False}, False),
        ({}, False),  # no goal: proves nothing
    ],
)
def test_figure_ok(goals, ok):
    assert figure(**goals).ok is ok


def write_module(folder: Path, name: str, body: str) -> None:
    (folder / f"bench_{name}.py").write_text("from common import Figure\n\n" + body)


@pytest.fixture
def bench_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "HERE", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("good", "slow", "broken"):
        sys.modules.pop(f"bench_{name}", None)
    write_module(
        tmp_path,
        "good",
        "def measure():\n    return [Figure('good page', 0.05, 's', 'base', 0.05, 1.5, '< 100 ms', True)]\n",
    )
    write_module(
        tmp_path,
        "slow",
        "def measure():\n    return [Figure('slow page', 0.5, 's', 'base', 0.05, 1.5, '< 100 ms', False)]\n",
    )
    write_module(tmp_path, "broken", "def measure():\n    raise RuntimeError('server did not start')\n")
    return tmp_path


def test_exit_status(bench_dir, capsys):
    assert run.main(["good"]) == 0
    assert run.main(["slow"]) == 1
    assert run.main(["broken", "good"]) == 1
    out = capsys.readouterr().out
    assert "good page" in out and "slow page" in out and "MISSED" in out
    assert "bench_broken: failed, no figures (MISSED)" in out
    assert run.main(["nothing"]) == 1


def test_every_name_a_benchmark_takes_from_another_exists():
    """The benchmarks import helpers from each other, some only inside a child process, where a
    renamed helper shows only when `make bench` runs: every `from bench.x import y`, at any depth
    of any bench module, names something bench/x.py defines."""
    import ast
    import importlib

    sys.path.insert(0, str(ROOT))
    missing = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bench."):
                module = importlib.import_module(node.module)
                missing += [f"{path.name}: {node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)]
    assert missing == []
