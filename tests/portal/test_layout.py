"""The code's layout, read from the source with `ast` (no Django needed):

- the shell (`skm_portal`) imports no app, settings and URL routing aside;
- no two apps import each other both ways;
- no product module is over 500 lines (tests and migrations excepted);
- every runtime requirement is used by the product.

Run as a test, this is the import scan of issue 9: it holds for the whole product.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib.metadata import packages_distributions
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL = "skm_portal"
APPS = tuple(
    app for app in ("surveys", "followup", "permits", "reports", "api", "lobby", "home") if (ROOT / app).is_dir()
)
SHELL_MAY_IMPORT_APPS = {"skm_portal/settings.py", "skm_portal/urls.py"}
MAX_LINES = 500


# Runtime requirements no module imports by name, and the text in product code that uses each.
USED_INDIRECTLY = {
    "psycopg2-binary": 'vendor == "postgresql"',  # Django's PostgreSQL backend loads it; COPY uses it
    "redis": "django.core.cache.backends.redis.RedisCache",  # Django's Redis cache backend loads it
    "boto3": "storages.backends.s3",  # django-storages' S3 backend loads it
    "gunicorn": 'worker_class = "gthread"',  # the app server, configured by skm_portal/gunicorn.conf.py
}


def product_files() -> list[Path]:
    files = []
    for package in (SHELL, *APPS):
        files += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts]
    return sorted(files)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def imports_of(path: Path) -> frozenset[str]:
    """Every module `path` imports, anywhere in it (functions too), relative imports resolved."""
    # The package `from .` means: the folder of the file (for __init__.py the package itself).
    package = list(path.relative_to(ROOT).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(found)


def top(module: str) -> str:
    return module.split(".", 1)[0]


def shell_imports_of_apps() -> dict[str, list[str]]:
    found = {}
    for path in product_files():
        name = rel(path)
        if name.startswith(f"{SHELL}/") and name not in SHELL_MAY_IMPORT_APPS:
            apps = sorted({m for m in imports_of(path) if top(m) in APPS})
            if apps:
                found[name] = apps
    return found


def app_cycles() -> set[frozenset[str]]:
    uses: dict[str, set[str]] = {app: set() for app in APPS}
    for path in product_files():
        owner = rel(path).split("/", 1)[0]
        if owner in APPS:
            uses[owner] |= {top(m) for m in imports_of(path) if top(m) in APPS and top(m) != owner}
    return {frozenset({a, b}) for a, b in combinations(APPS, 2) if b in uses[a] and a in uses[b]}


def long_modules() -> dict[str, int]:
    return {rel(p): n for p in product_files() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}


def runtime_requirements() -> list[str]:
    """Distribution names between '# Runtime' and '# Development' in requirements.txt."""
    names, runtime = [], False
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            runtime = line.startswith("# Runtime") or (runtime and not line.startswith("# Development"))
            continue
        if runtime and line.strip():
            names.append(re.split(r"[\[<>=!~ ]", line.strip(), maxsplit=1)[0])
    return names


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def used_top_modules() -> set[str]:
    """Top-level modules imported by product code or manage.py, or named in the settings
    (INSTALLED_APPS, MIDDLEWARE, backends: Django imports them)."""
    used = {top(m) for path in product_files() for m in imports_of(path)}
    used |= {top(m) for m in imports_of(ROOT / "manage.py")}
    settings = ROOT / SHELL / "settings.py"
    for node in ast.walk(ast.parse(settings.read_text(encoding="utf-8"))):
        dotted = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if dotted and re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", node.value):
            used.add(top(node.value))
    return used


def unused_requirements() -> list[str]:
    modules_of: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            modules_of.setdefault(normalise(dist), set()).add(module)
    used = used_top_modules()
    product_text = "\n".join(path.read_text(encoding="utf-8") for path in product_files())
    unused = []
    for name in runtime_requirements():
        if name in USED_INDIRECTLY:
            if USED_INDIRECTLY[name] not in product_text:
                unused.append(name)
            continue
        modules = modules_of.get(normalise(name))
        assert modules, f"{name} is not installed in this environment"
        if not modules & used:
            unused.append(name)
    return unused


def test_the_shell_imports_no_app():
    assert shell_imports_of_apps() == {}


def test_no_two_apps_import_each_other():
    assert app_cycles() == set()


def test_no_product_module_is_over_500_lines():
    assert long_modules() == {}


def test_the_scan_sees_what_it_should():
    """The scanner itself: a known relative import, a known cross-app import, a known cycle-free app."""
    assert "permits.rules" in imports_of(ROOT / "permits" / "services.py")
    assert "surveys.models" in imports_of(ROOT / "home" / "views.py")
    assert "skm_portal.numbers" in imports_of(ROOT / "surveys" / "ikm.py")
    assert "surveys.models" in imports_of(ROOT / "surveys" / "views" / "data.py")  # from ..models import
    assert "Django" in runtime_requirements() and "pytest" not in runtime_requirements()


def test_nothing_imports_the_pages_above_the_apps():
    """`home` shows several apps, so it stands above them all: no app (nor the shell) imports it."""
    importers = [
        rel(p)
        for p in product_files()
        if not rel(p).startswith("home/")
        and rel(p) not in SHELL_MAY_IMPORT_APPS
        and any(top(m) == "home" for m in imports_of(p))
    ]
    assert importers == []
