"""The organisations' part of the home (plug-in of the home engine, ``duaal.homes``).

"My organisations": the organisations a person belongs to, with their members and, for a
company, the link to its students. Everyone who is a member of an organisation sees it, below
the panels of their roles; for a sector consultant it is their home's main content. Students
and parents belong to no organisation and do not see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from duaal.compiled import bound_sql
from duaal.homes import Panel, Viewer, keeps_per_person, register_panel
from organisations.models import Membership, Organisation
from organisations.selectors import kept_memberships_of, organisations_with_member_counts


def memberships(viewer: Viewer) -> list[Membership]:
    """The viewer's memberships with their organisations (``kept_memberships_of``: kept like
    the menu with a shared cache, else one query), once per request. They choose panels (a
    student or parent has none); what a panel shows is asked of its own queries."""
    return viewer.remember(
        "organisations.memberships", lambda: kept_memberships_of(user=viewer.user)
    )


def _with_member_counts(user_pk: int) -> QuerySet[Organisation]:
    return organisations_with_member_counts(user=User(pk=user_pk))  # its id only: a parameter


def my_organisations(viewer: Viewer) -> list[Organisation]:
    """The viewer's organisations with their member counts (one query, shared; compiled once
    per process: only the person's id changes)."""
    return viewer.remember(
        "organisations.mine",
        lambda: list(
            Organisation.objects.raw(
                *bound_sql("organisations.mine", _with_member_counts, viewer.user.pk)
            )
        ),
    )


@register_panel
class MyOrganisations(Panel):
    key = "organisations.mine"
    order = 900
    template_name = "organisations/home_organisations.html"

    def applies(self, viewer: Viewer) -> bool:
        if keeps_per_person() and not memberships(viewer):
            return False  # a student or parent: no query for the counts (the kept list)
        return bool(my_organisations(viewer))

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {"organisation_list": my_organisations(viewer)}
