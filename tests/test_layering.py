"""Engines know no domain: no module of an engine imports a domain app.

Every ``.py`` file of the engine packages (management commands and migrations included) is
parsed, and every ``import`` / ``from ... import`` in it — at module level or inside a
function — is checked. Domain apps reach the engines only through their plug-in modules
(docs/decisions/0007-engines-and-plugins.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PACKAGES = ("notifications", "documents", "agenda")
# The demo seed engine lives in the project package, next to code that is not an engine.
ENGINE_MODULES = (
    "duaal/registry.py",
    "duaal/homes.py",
    "duaal/demo.py",
    "duaal/apps.py",
    "duaal/management/commands/seed_demo.py",
)
DOMAIN_APPS = frozenset(
    {
        "organisations",
        "partnerships",
        "recognition",
        "learning",
        "contracts",
        "evaluation",
        "dashboards",
        "devtools",
    }
)


def imported_modules(source: str, filename: str = "<source>") -> set[str]:
    """Absolute module names imported anywhere in ``source`` (relative imports are local)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from partnerships import permissions`` names the package in ``module``.
            found.add(node.module)
    return found


def domain_imports(source: str, filename: str = "<source>") -> set[str]:
    return {
        name for name in imported_modules(source, filename) if name.split(".")[0] in DOMAIN_APPS
    }


def engine_files() -> list[Path]:
    files = [path for package in ENGINE_PACKAGES for path in (ROOT / package).rglob("*.py")]
    return sorted(files + [ROOT / module for module in ENGINE_MODULES])


def test_the_scan_covers_every_engine_module():
    files = engine_files()
    relative = {str(path.relative_to(ROOT)) for path in files}
    assert {
        "notifications/services/reminders.py",
        "notifications/management/commands/send_reminders.py",
        "documents/services.py",
        "documents/migrations/0001_initial.py",
        "agenda/selectors.py",
        "agenda/homes.py",
        "notifications/homes.py",
        "duaal/homes.py",
        "duaal/management/commands/seed_demo.py",
    } <= relative
    assert all(path.is_file() for path in files)


def test_the_scan_finds_a_domain_import_wherever_it_is():
    source = (
        "import os\n"
        "from partnerships import permissions\n"
        "def f():\n"
        "    import learning.models\n"
        "    from .local import x\n"
        "    from organisations.models import Organisation\n"
    )
    assert domain_imports(source) == {"partnerships", "learning.models", "organisations.models"}


@pytest.mark.parametrize("path", engine_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_an_engine_module_imports_no_domain_app(path):
    found = domain_imports(path.read_text(), str(path))
    assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"


# The dashboards sit on top: they read every domain app, and no domain app (nor an engine)
# reads them (ARCHITECTURE.md; issue 14). They learn of changes from the apps' signals.
LOWER_THAN_DASHBOARDS = (
    "organisations",
    "partnerships",
    "recognition",
    "learning",
    "contracts",
    "evaluation",
    "accounts",
    "duaal",
    *ENGINE_PACKAGES,
)


def lower_files() -> list[Path]:
    return sorted(
        path for package in LOWER_THAN_DASHBOARDS for path in (ROOT / package).rglob("*.py")
    )


def test_no_lower_app_imports_the_dashboards():
    offenders = {}
    for path in lower_files():
        found = {
            name
            for name in imported_modules(path.read_text(), str(path))
            if name.split(".")[0] == "dashboards"
        }
        if found:
            offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert len(lower_files()) > 200
    assert not offenders, offenders
