"""The dashboards on the home (plug-in of ``duaal.homes``): a panel linking to each dashboard
for the people who have one. Each dashboard adds its own panel below."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duaal.homes import Panel, Viewer, register_panel
from partnerships import permissions
from partnerships.homes import roles


# --- School director's dashboard (dashboards/views/school.py) ---------------------------------
@register_panel
class SchoolDashboardPanel(Panel):
    """For the directie and the coördinator duaal of a school: one tap to the school
    dashboard. No query of its own (the viewer's team roles are read once for the home)."""

    key = "dashboards.school"
    order = 39  # just before the director's counts
    template_name = "dashboards/home_school.html"

    def applies(self, viewer: Viewer) -> bool:
        return any(role in permissions.SCHOOL_DASHBOARD_ROLES for role in roles(viewer))

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {}
