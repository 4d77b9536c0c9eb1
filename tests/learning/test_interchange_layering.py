"""The leerfiche interchange belongs to the catalogue: it imports no domain app but
``organisations`` (and the catalogue's own modules of ``learning``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_layering import ROOT, domain_imports

CATALOGUE_MODULES = (
    "learning/interchange.py",
    "learning/views/interchange.py",
    "learning/demo/catalogue.py",
    "learning/management/commands/import_leerfiches.py",
    "learning/management/commands/export_leerfiches.py",
)
ALLOWED = (
    "organisations",
    "learning.models",
    "learning.services.versions",
    "learning.services",
    "learning.access",
    "learning.interchange",
    "learning",
    "learning.demo.catalogue",
)


@pytest.mark.parametrize("module", CATALOGUE_MODULES)
def test_the_interchange_imports_only_the_catalogue_and_organisations(module):
    path = Path(ROOT) / module
    found = domain_imports(path.read_text(encoding="utf-8"), str(path))
    outside = {
        name
        for name in found
        if not any(name == a or name.startswith("organisations.") for a in ALLOWED)
    }
    assert outside == set(), f"{module} imports {outside}"
