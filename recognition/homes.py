"""The recognition part of the role homes and of the main menu (plug-in of ``duaal.homes``).

Sector consultant's side:

* ``recognition.consultant`` — for a member of a sector body: how many decisions on
  recognition requests are due within 14 days and how many are overdue, one tap to the inbox
  (``recognition:consultant_inbox``);
* menu item ``recognition.inbox`` ("Erkenningen") for the same people.

School's side:

* ``recognition.programmatie`` ("Opleidingsaanbod") — for an administrator of a school: the
  open programmatie requests (draft, submitted, approved) with their next deadline
  (``recognition.programmatie.deadline_warning``), links to the programmatie list and the
  partner search. One query.

Company's side:

* ``recognition.company`` — for an administrator of a company: per company, the recognitions
  in force, the soonest expiry, the requests pending, and how many of its mentors are not
  eligible (``mentor_eligibilities``); links to the company's recognitions and its listing in
  the partner search. Four queries, whatever the number of companies, requests or mentors.

No menu items for these: the menu is full; the home and the organisation pages lead there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import User
from duaal.homes import NavItem, Panel, Viewer, register_nav, register_panel
from organisations.homes import memberships
from organisations.models import Membership
from partnerships import permissions
from partnerships.models import PlacementSupervisor, TeamMember, TeamRole
from recognition import programmatie
from recognition.models import PENDING_STATUSES, Programmatie, ProgrammatieStatus, RecognitionStatus
from recognition.selectors import inbox_counts, mentor_eligibilities

OPEN_PROGRAMMATIE = (
    ProgrammatieStatus.CONCEPT,
    ProgrammatieStatus.SUBMITTED,
    ProgrammatieStatus.APPROVED,
)
SHOWN = 3


def _consultant(viewer: Viewer) -> bool:
    return viewer.remember(
        "recognition.consultant",
        lambda: permissions.memberships_use_recognition_inbox(memberships(viewer)),
    )


@register_panel
class ConsultantPanel(Panel):
    key = "recognition.consultant"
    order = 27  # beside the coordinators' work lists
    template_name = "recognition/consultant/home_panel.html"

    def applies(self, viewer: Viewer) -> bool:
        return _consultant(viewer)

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        mine = permissions.recognition_inbox_of(user=viewer.user)
        return inbox_counts(mine, today=viewer.today)


@register_nav
class InboxNav(NavItem):
    key = "recognition.inbox"
    order = 22  # after partnerships, before the catalogue
    testid = "nav-recognitions"

    def applies(self, viewer: Viewer) -> bool:
        return _consultant(viewer)

    def label(self, viewer: Viewer) -> str | Promise:
        return gettext_lazy("Recognitions")

    def url(self, viewer: Viewer) -> str:
        return reverse("recognition:consultant_inbox")


# --- school's side ----------------------------------------------------------------------------


@register_panel
class ProgrammatiePanel(Panel):
    key = "recognition.programmatie"
    order = 28
    template_name = "recognition/school/home_panel.html"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "recognition.school_admin",
            lambda: permissions.memberships_manage_programmatie(memberships(viewer)),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        items = list(
            Programmatie.objects.filter(
                school__in=permissions.schools_managing_programmatie(user=viewer.user).values("pk"),
                status__in=OPEN_PROGRAMMATIE,
            )
            .select_related("school", "opleiding")
            .order_by("school_year", "opleiding__name", "pk")
        )
        rows = [
            {"item": item, "warning": programmatie.deadline_warning(item, today=viewer.today)}
            for item in items
        ]
        # The most pressing first: errors, then warnings, then the rest (stable otherwise).
        urgency = {"error": 0, "warning": 1, "info": 2}
        rows.sort(key=lambda row: urgency.get(row["warning"].level if row["warning"] else "", 3))
        return {"rows": rows[:SHOWN], "total": len(rows)}


# --- company's side ---------------------------------------------------------------------------


@register_panel
class CompanyRecognitionsPanel(Panel):
    key = "recognition.company"
    order = 29
    template_name = "recognition/company/home_panel.html"

    def applies(self, viewer: Viewer) -> bool:
        return viewer.remember(
            "recognition.company_admin",
            lambda: permissions.memberships_edit_company_listing(memberships(viewer)),
        )

    def context(self, viewer: Viewer) -> Mapping[str, Any]:
        today = viewer.today
        in_force = Q(
            recognitions__status=RecognitionStatus.RECOGNISED,
            recognitions__decided_on__lte=today,
            recognitions__valid_until__gte=today,
        )
        companies = list(
            permissions.companies_listing_editable_by(user=viewer.user).annotate(
                in_force=Count("recognitions", filter=in_force, distinct=True),
                soonest_expiry=Min("recognitions__valid_until", filter=in_force),
                pending=Count(
                    "recognitions",
                    filter=Q(recognitions__status__in=PENDING_STATUSES),
                    distinct=True,
                ),
            )
        )
        # The companies' mentors (members who are mentor in a team or a placement of the
        # company, as on the company's overview), then their eligibility: three queries.
        ids = [company.pk for company in companies]
        is_mentor = Exists(
            TeamMember.objects.filter(
                user=OuterRef("user"),
                organisation=OuterRef("organisation"),
                role=TeamRole.MENTOR,
            )
        ) | Exists(
            PlacementSupervisor.objects.filter(
                user=OuterRef("user"),
                kind=PlacementSupervisor.Kind.MENTOR,
                placement__company=OuterRef("organisation"),
            )
        )
        pairs = list(
            Membership.objects.filter(is_mentor, organisation_id__in=ids).values_list(
                "organisation_id", "user_id"
            )
        )
        mentors = User.objects.filter(pk__in={user_id for _company, user_id in pairs})
        unmet = mentor_eligibilities(mentors, on=today) if pairs else {}
        for company in companies:
            company.not_eligible = sum(
                1 for company_id, user_id in pairs if company_id == company.pk and unmet[user_id]
            )
        return {"companies": companies}
