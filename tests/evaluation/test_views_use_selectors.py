"""The evaluation views hold no ORM work: every read goes through ``evaluation/selectors``
and every write through ``evaluation/services`` (HOUSE_STYLE rule 1). The scan parses each
views module and refuses any ``<Model>.objects`` (or ``_default_manager``) in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parents[2] / "evaluation" / "views"
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def manager_uses(source: str) -> list[int]:
    """The lines of ``source`` that reach a model manager."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS
    ]


def test_the_scan_finds_a_query():
    assert manager_uses("def f():\n    return Session.objects.filter(pk=1).first()\n") == [2]
    assert manager_uses("x = selectors.session_current(session=s)\n") == []


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda path: path.name)
def test_an_evaluation_view_module_runs_no_query_itself(path):
    assert manager_uses(path.read_text(encoding="utf-8")) == [], (
        f"{path.name} queries the database itself: move it to evaluation/selectors"
    )
