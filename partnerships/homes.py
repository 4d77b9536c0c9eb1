"""The partnerships' part of the role homes and of the main menu (plug-in of ``duaal.homes``).

Panels, by role (a person with several roles sees each of theirs):

* ``partnerships.family`` — the student's own traject, or a parent's child's: opleiding,
  school, company, mentor and this week's pattern; never a free-text field;
* ``partnerships.mentor_week`` — a mentor's or begeleider's students this week, where each
  student is on each day, one tap to the traject; the evaluation app adds its weekly
  check-in in the slot ``duaal.homes.MENTOR_WEEK_SLOT``;
* ``partnerships.coordinator`` — a coordinator's partnerships and the schools whose students
  they enrol;
* ``partnerships.students`` — trajectbegeleider, leerkracht, training centre and
  coordinators: their students with opleiding, company, mentor and placement state;
* ``partnerships.director`` — directie: a placeholder for the dashboard, with the number of
  trajects per partnership they may see.

Menu items: the students list (team members who see other people's trajects), "my traject"
(students and parents), partnerships (who sees one, or may start one).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from duaal.compiled import fetch_rows
from duaal.homes import (
    MENTOR_WEEK_SLOT,
    NavItem,
    Panel,
    Viewer,
    actions_for,
    register_nav,
    register_panel,
)
from partnerships import permissions
from partnerships.models import StudentContact, TeamRole, Traject
from partnerships.selectors import homes as selectors
from partnerships.selectors.partnerships import schools_administered_by

UPCOMING_DAYS = 28


def roles(viewer: Viewer) -> dict[str, set[int]]:
    return viewer.remember("partnerships.roles", lambda: selectors.team_roles(user=viewer.user))


def _has_role(viewer: Viewer, wanted: frozenset[str]) -> bool:
    return any(role in wanted for role in roles(viewer))


def _ids_in(viewer: Viewer, wanted: frozenset[str]) -> set[int]:
    return {pk for role, ids in roles(viewer).items() if role in wanted for pk in ids}


def sees_others_trajects(viewer: Viewer) -> bool:
    return viewer.remember(
        "partnerships.sees_others",
        lambda: selectors.sees_others_trajects(user=viewer.user),
    )


def family_links(viewer: Viewer) -> list[tuple[str, str, bool]]:
    """(traject public id, student first name, is the viewer's own) of the trajects the
    viewer sees as student or parent (one query, shared by the menu and the home; compiled
    once per process: only the person's id changes)."""

    def compute() -> list[tuple[str, str, bool]]:
        user = viewer.user
        if not user.is_authenticated:
            return []
        rows = fetch_rows("partnerships.family_links", _family_links_query, user.pk)
        return [(str(public_id), name, owner == user.pk) for public_id, name, owner in rows]

    return viewer.remember("partnerships.family_links", compute)


def family_trajects(viewer: Viewer) -> list[selectors.FamilyTraject]:
    """The trajects of ``family_links`` with their facts and this week (three queries, shared
    by the family panel and the student's day)."""
    return viewer.remember(
        "partnerships.family_trajects",
        lambda: selectors.family_trajects(
            user=viewer.user, today=viewer.today, days=viewer.week_days
        ),
    )


def _family_links_query(user_pk: int) -> QuerySet[Traject, Any]:
    user = User(pk=user_pk)  # only its id is used: a parameter of the compiled query
    return (
        permissions.trajects_visible_to(user=user)
        .filter(
            Q(student__user=user_pk)
            | Q(
                Exists(
                    StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user_pk)
                )
            )
        )
        .order_by("-partnership__school_year", "student__first_name", "pk")
        .values_list("public_id", "student__first_name", "student__user_id")
    )


# --- Panels ---------------------------------------------------------------------------------


@register_panel
class FamilyPanel(Panel):
    key = "partnerships.family"
    order = 10
    template_name = "partnerships/home_family.html"

    def applies(self, viewer: Viewer) -> bool:
        return bool(family_links(viewer))

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {"trajects": family_trajects(viewer), "week_days": viewer.week_days}


def week_label(viewer: Viewer) -> str:
    """The label "Week 48 · 23–27 nov.": the ISO week number and its Monday to Friday."""
    monday, friday = viewer.week_days[0], viewer.week_days[-1]
    # "N": the abbreviated month of our catalogue (Flemish "nov.", "dec.").
    day_month = "j N"
    if monday.month == friday.month:
        span = f"{monday.day}–{date_format(friday, day_month)}"
    else:
        span = f"{date_format(monday, day_month)} – {date_format(friday, day_month)}"
    return _("Week %(number)s · %(span)s") % {"number": monday.isocalendar().week, "span": span}


@register_panel
class MentorWeekPanel(Panel):
    key = "partnerships.mentor_week"
    order = 20
    template_name = "partnerships/home_mentor_week.html"
    ROLES = frozenset({TeamRole.MENTOR, TeamRole.BEGELEIDER})

    def applies(self, viewer: Viewer) -> bool:
        return _has_role(viewer, self.ROLES) or bool(self._supervised(viewer).week)

    def _supervised(self, viewer: Viewer) -> selectors.Supervised:
        friday = viewer.week_days[-1]
        return viewer.remember(
            "partnerships.mentor_week",
            lambda: selectors.supervised(
                user=viewer.user,
                days=viewer.week_days,
                until=friday + timedelta(days=UPCOMING_DAYS),
            ),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        supervised = self._supervised(viewer)
        students = supervised.week
        offered = actions_for(
            MENTOR_WEEK_SLOT, viewer=viewer, subjects=[row.traject for row in students]
        )
        for row in students:
            row.actions = offered.get(row.traject.pk, [])
        return {
            "week_label": week_label(viewer),
            "week_days": viewer.week_days,
            "students": students,
            "upcoming": supervised.upcoming,
        }


@register_panel
class CoordinatorPanel(Panel):
    key = "partnerships.coordinator"
    order = 25
    template_name = "partnerships/home_coordinator.html"

    def applies(self, viewer: Viewer) -> bool:
        return _has_role(viewer, selectors.COORDINATOR_ROLES)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {
            "partnerships": selectors.partnerships_in_role(
                user=viewer.user, partnership_ids=_ids_in(viewer, selectors.COORDINATOR_ROLES)
            ),
            "schools": list(permissions.schools_managed_by(user=viewer.user)),
        }


@register_panel
class StudentsPanel(Panel):
    key = "partnerships.students"
    order = 30
    template_name = "partnerships/home_students.html"
    ROLES = selectors.SCHOOL_TEAM_ROLES | selectors.COORDINATOR_ROLES

    def applies(self, viewer: Viewer) -> bool:
        return _has_role(viewer, self.ROLES)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        rows, total = selectors.students_overview(user=viewer.user, today=viewer.today)
        return {"rows": rows, "total": total, "more": total - len(rows)}


@register_panel
class DirectorPanel(Panel):
    key = "partnerships.director"
    order = 40
    template_name = "partnerships/home_director.html"

    def applies(self, viewer: Viewer) -> bool:
        return _has_role(viewer, selectors.DIRECTOR_ROLES)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        return {
            "counts": selectors.traject_counts(
                user=viewer.user, partnership_ids=_ids_in(viewer, selectors.DIRECTOR_ROLES)
            )
        }


# --- Menu -----------------------------------------------------------------------------------


@register_nav
class StudentsNav(NavItem):
    """The students list (``/trajects/``): one name, "Leerlingen", in the menu and on the page."""

    key = "partnerships.students"
    order = 10
    testid = "nav-trajects"

    def applies(self, viewer: Viewer) -> bool:
        return sees_others_trajects(viewer)

    def label(self, viewer: Viewer) -> str | Promise:
        return gettext_lazy("Students")

    def url(self, viewer: Viewer) -> str:
        return reverse("partnerships:traject_list")


@register_nav
class MyTrajectNav(NavItem):
    """A student's or parent's own traject: straight to its page when there is one."""

    key = "partnerships.my_traject"
    order = 11
    testid = "nav-my-traject"

    def applies(self, viewer: Viewer) -> bool:
        return bool(family_links(viewer))

    def label(self, viewer: Viewer) -> str | Promise:
        links = family_links(viewer)
        if all(own for _id, _name, own in links):
            return gettext_lazy("My traject")
        names = sorted({name for _id, name, own in links if not own})
        if len(links) == 1:
            return _("%(name)s's traject") % {"name": names[0]}
        return gettext_lazy("Trajects")

    def url(self, viewer: Viewer) -> str:
        links = family_links(viewer)
        if len(links) == 1:
            return reverse("partnerships:traject_detail", args=[links[0][0]])
        return reverse("partnerships:traject_list")


@register_nav
class PartnershipsNav(NavItem):
    key = "partnerships.partnerships"
    order = 20
    testid = "nav-partnerships"

    def applies(self, viewer: Viewer) -> bool:
        user: User = viewer.user
        return (
            permissions.partnerships_visible_to(user=user).exists()
            or schools_administered_by(user=user).exists()
        )

    def label(self, viewer: Viewer) -> str | Promise:
        return gettext_lazy("Partnerships")

    def url(self, viewer: Viewer) -> str:
        return reverse("partnerships:partnership_list")
