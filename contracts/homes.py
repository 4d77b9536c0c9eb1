"""The contracts' part of the role homes (plug-in of ``duaal.homes``).

* ``contracts.starts`` — for a coördinator (school or company): the contracts they coordinate
  that start within 30 days (or should have started), how many are still blocked, and the
  first few with what blocks them; one tap to the full list (``contracts:starts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.selectors.starts import STARTS_WINDOW, starts_due
from duaal.homes import Panel, Viewer, register_panel
from partnerships import permissions
from partnerships.homes import roles

SHOWN = 3


@register_panel
class StartsPanel(Panel):
    key = "contracts.starts"
    order = 26  # right after the coordinator's partnerships
    template_name = "contracts/home_starts.html"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "contracts.coordinates",
            lambda: permissions.roles_coordinate_contracts(roles(viewer)),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        rows = starts_due(user=viewer.user, today=viewer.today)
        return {
            "rows": rows[:SHOWN],
            "total": len(rows),
            "blocked": sum(1 for row in rows if row["blocking"]),
            "window": STARTS_WINDOW,
        }
