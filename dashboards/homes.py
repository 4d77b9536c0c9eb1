"""The dashboards' part of the role homes (plug-in of ``duaal.homes``): a panel per dashboard,
linking to it for the people who have one. Each block names its dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duaal.homes import Panel, Viewer, register_panel
from organisations.homes import memberships
from partnerships import permissions
from partnerships.homes import roles
from partnerships.models import TeamRole

# --- The sector consultant's dashboard (item 4) ------------------------------------------------


@register_panel
class SectorDashboardPanel(Panel):
    """For a member of a sector body (as the recognition inbox's panel): one tap to the sector
    dashboard. No query of its own: the memberships are read once per request."""

    key = "dashboards.sector"
    order = 27  # right after the recognition inbox's panel (``recognition.consultant``)
    template_name = "dashboards/sector_home_panel.html"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "recognition.consultant",
            lambda: permissions.memberships_use_recognition_inbox(memberships(viewer)),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {}


# --- The coordinator's action list (item 3: dashboards/views/actions.py) ----------------------


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


# --- The company director's dashboard (item 2, dashboards/views/company.py) -------------------


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


# --- School director's dashboard (item 1: dashboards/views/school.py) -------------------------


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


# --- The klassenraad report per class (item 6: dashboards/views/klassenraad.py) ---------------

TEACHER_ROLES = frozenset({TeamRole.TRAJECTBEGELEIDER, TeamRole.LEERKRACHT})


@register_panel
class KlassenraadPanel(Panel):
    """For the trajectbegeleiders and leerkrachten, who have no school dashboard (where its
    directie and coördinator ask for it): one tap to the klassenraad report of a class. No
    query of its own (the viewer's team roles are read once for the home)."""

    key = "dashboards.klassenraad"
    order = 31  # right after the teacher's students
    template_name = "dashboards/home_klassenraad.html"

    def applies(self, viewer: Viewer) -> bool:
        held = roles(viewer)
        return bool(TEACHER_ROLES & set(held)) and not any(
            role in permissions.SCHOOL_DASHBOARD_ROLES for role in held
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {}
