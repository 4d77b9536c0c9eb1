"""The catalogue sits below partnerships: its modules import no domain app but
``organisations`` (docs/ARCHITECTURE.md, layering), so no import cycle can appear."""

from __future__ import annotations

import pytest

from tests.test_layering import ROOT, domain_imports

CATALOGUE_MODULES = (
    "learning/access.py",
    "learning/models/catalogue.py",
    "learning/services/versions.py",
    "learning/services/authoring.py",
    "learning/selectors/catalogue.py",
    "learning/forms/catalogue.py",
    "learning/views/catalogue.py",
    "learning/templatetags/leerfiches.py",
    "learning/documents/catalogue.py",
)
ALLOWED = {"organisations", "learning"}


@pytest.mark.parametrize("module", CATALOGUE_MODULES)
def test_the_catalogue_imports_no_higher_app(module):
    path = ROOT / module
    imported = domain_imports(path.read_text(encoding="utf-8"), str(path))
    higher = sorted(name for name in imported if name.split(".")[0] not in ALLOWED)
    # Inside learning: only the catalogue's own modules (not the plans).
    plans = sorted(
        name
        for name in imported
        if name.startswith("learning.")
        and any(part in name for part in ("plans", "bedrijfsfiches", "traject"))
    )
    assert higher == [] and plans == [], f"{module} imports {higher + plans}"
