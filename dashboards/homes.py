"""The dashboards' part of the role homes (plug-in of ``duaal.homes``).

Each dashboard adds its panel in its own block below, naming its dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duaal.homes import Panel, Viewer, register_panel
from partnerships import permissions
from partnerships.homes import roles


# --- The coordinator's action list (item 3: dashboards/views/actions.py) ---
@register_panel
class ActionsPanel(Panel):
    """A school or company coördinator's way to everything that waits for them: a link, no
    query of its own (the roles are the home's, read once per request)."""

    key = "dashboards.actions"
    order = 24  # the coordinator's first panel, before their partnerships and starts
    template_name = "dashboards/home_actions.html"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "contracts.coordinates",
            lambda: permissions.roles_coordinate_contracts(roles(viewer)),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {}


# --- end of the coordinator's action list ---
