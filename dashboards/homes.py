"""The dashboards' part of the role homes (plug-in of ``duaal.homes``).

Each dashboard adds, in its own block, a home panel linking to it for the people who have one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duaal.homes import Panel, Viewer, register_panel
from partnerships import permissions
from partnerships.homes import roles
from partnerships.models import TeamRole

# --- The company director's dashboard (dashboards/views/company.py) ---------------------------


@register_panel
class CompanyDashboardPanel(Panel):
    """A company's directie: a link to the dashboard of each company they direct."""

    key = "dashboards.company"
    order = 41  # just after the directors' overview
    template_name = "dashboards/home_company.html"

    def applies(self, viewer: Viewer) -> bool:
        # The team roles are read once per request for the partnerships' panels (no query).
        return TeamRole.DIRECTIE_BEDRIJF in roles(viewer)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {
            "companies": list(
                permissions.companies_directed_by(user=viewer.user)
                .order_by("name")
                .values("public_id", "name")
            )
        }
