"""Every action the learning app records has a human label in ``partnerships.audit.ACTIONS``
(the one declarative place, docs/decisions/0005-audit-trail.md), translated into Dutch.

The catalogue records through ``duaal.audit`` directly (it sits below partnerships), so no
run-time check refuses an undeclared action there: this test reads the source instead."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from partnerships.audit import ACTIONS

LEARNING = Path(__file__).resolve().parents[2] / "learning"


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def recorded_actions() -> dict[str, str]:
    """``{action: "file:line"}`` for every string given as ``action=`` to a call, or as the
    first argument of a function named ``*record*``, in learning/."""
    found: dict[str, str] = {}
    for path in sorted(LEARNING.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg == "action"]
            if "record" in _callee(node) and node.args:
                values.append(node.args[0])
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if value.value == "store_true":  # argparse's action=, not the trail's
                        continue
                    where = f"{path.relative_to(LEARNING.parent)}:{node.lineno}"
                    found.setdefault(value.value, where)
    return found


def test_the_scan_finds_the_actions_of_every_learning_service():
    actions = recorded_actions()
    for expected in (
        "leerfiche_set.create",  # versions.py
        "leerfiche_set.import",  # interchange.py
        "criterion.delete",  # authoring.py
        "period.create",  # plans.py, positional
        "activiteitenlijst.set",
        "bedrijfsfiche.photo_remove",
    ):
        assert expected in actions, expected


def test_every_recorded_learning_action_has_a_label():
    missing = {a: where for a, where in recorded_actions().items() if a not in ACTIONS}
    assert missing == {}, f"declare these in partnerships/audit.py ACTIONS: {missing}"


@pytest.mark.parametrize("action", sorted(recorded_actions()))
def test_the_label_is_dutch(action):
    label = ACTIONS[action]
    with translation.override("en"):
        english = str(label)
    with translation.override("nl-be"):
        dutch = str(label)
    assert dutch and dutch != english, (action, dutch)
