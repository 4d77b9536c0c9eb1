"""The activiteitenlijst is catalogue data: its service imports no domain app but
``organisations`` (and the catalogue's own models), so the recognition app — below
partnerships — can call it; the plans may use ``partnerships``."""

from __future__ import annotations

from pathlib import Path

from tests.test_layering import domain_imports

ROOT = Path(__file__).resolve().parents[2]


def test_the_activiteitenlijst_service_stays_in_the_catalogue_layer():
    path = ROOT / "learning/services/activiteitenlijsten.py"
    found = domain_imports(path.read_text(), str(path))
    assert found <= {"organisations.models", "learning.models.catalogue"}, found


def test_partnerships_permissions_do_not_import_the_plans():
    path = ROOT / "partnerships/permissions.py"
    assert not {m for m in domain_imports(path.read_text(), str(path)) if m.startswith("learning")}
