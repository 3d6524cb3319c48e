"""The follow-up's shape: reports stands above it (the report assembles the follow-up), so
no follow-up module imports the reports app; and no module grows past 500 lines."""

import ast
from pathlib import Path

from django.conf import settings

FOLLOWUP = Path(settings.BASE_DIR) / "followup"


def modules():
    return sorted(p for p in FOLLOWUP.rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_followup_module_imports_the_reports_app():
    offenders = {
        str(path.relative_to(FOLLOWUP)): sorted(n for n in imported(path) if n == "reports" or n.startswith("reports."))
        for path in modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_two_halves_and_no_long_module():
    assert (FOLLOWUP / "plans" / "models.py").exists() and (FOLLOWUP / "meetings" / "models.py").exists()
    long = {str(p.relative_to(FOLLOWUP)): n for p in modules() if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}
