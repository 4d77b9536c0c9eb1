"""The home engine: panels by predicate and order, several roles, the mentor's slot, what waits."""

from __future__ import annotations

import re
from datetime import timedelta

from accounts.models import User
from duaal import homes
from notifications.services.reminders import reminders_sweep
from partnerships.models import Partnership, PlacementSupervisor, TeamMember, Traject
from partnerships.services.grants import partnership_sync_grants
from tests.homes.test_homes import panels, sections


def test_panels_are_rendered_by_order_and_only_when_they_apply(client, demo_cast, week):
    class Everyone(homes.Panel):
        key = "tests.everyone"
        order = 1
        template_name = "homes/home.html"  # any template: the test only counts calls

        def applies(self, viewer):
            return True

    class Nobody(homes.Panel):
        key = "tests.nobody"
        order = 0
        template_name = "homes/home.html"

        def applies(self, viewer):
            return False

        def context(self, viewer):  # pragma: no cover - never asked
            raise AssertionError("context of a panel that does not apply")

    with homes.panels.restored():
        homes.register_panel(Everyone)
        homes.register_panel(Nobody)
        viewer = homes.Viewer(user=User.objects.get(email="tb@sintjozef.demo"), today=week)
        keys = [panel.key for panel in homes.panels_for(viewer)]
    assert keys == [
        "tests.everyone",
        "partnerships.students",
        "dashboards.klassenraad",  # the klassenraad report of a class (issue 14 item 6)
        "organisations.mine",
    ]


def test_the_week_is_monday_to_friday_and_the_weekend_shows_the_next_one(week):
    user = User()
    wednesday = homes.Viewer(user=user, today=week)
    assert [d.weekday() for d in wednesday.week_days] == [0, 1, 2, 3, 4]
    assert wednesday.week_days[2] == week
    friday, saturday = week + timedelta(days=2), week + timedelta(days=3)
    assert homes.Viewer(user=user, today=friday).week_start == wednesday.week_start
    assert homes.Viewer(user=user, today=saturday).week_start == week + timedelta(days=5)
    assert homes.Viewer(
        user=user, today=saturday + timedelta(days=1)
    ).week_start == week + timedelta(days=5)


def test_a_person_with_several_roles_sees_each_panel(home):
    """The trajectbegeleider of Sint-Jozef is also mentor of Jonas (B1) for a while."""
    tb = User.objects.get(email="tb@sintjozef.demo")
    b1 = Partnership.objects.get(school__name="GO! Technisch Atheneum De Ring")
    company_x = User.objects.get(email="mentor@vandenberghe.demo").memberships.get().organisation
    TeamMember.objects.create(partnership=b1, user=tb, role="mentor", organisation=company_x)
    placement = Traject.objects.get(student__first_name="Jonas").placements.get()
    PlacementSupervisor.objects.create(placement=placement, user=tb, kind="mentor")
    partnership_sync_grants(partnership=b1)
    html = home("tb@sintjozef.demo")
    assert panels(html) == [
        "home-mentor-week",
        "home-students",
        "home-klassenraad",  # as trajectbegeleider (issue 14 item 6)
        "home-organisations",
    ]
    assert "Jonas Maes" in sections(html, "home-mentor-week")
    assert "Jonas Maes" in sections(html, "home-students")  # tb sees him now, as his mentor


def test_the_mentor_slot_shows_the_actions_an_app_offers(home):
    offered = []

    def weekly_checkin(*, viewer, subjects):
        offered.append([traject.student.first_name for traject in subjects])
        return {
            traject.pk: [
                homes.Action(
                    label="Weekevaluatie",
                    url=f"/check-in/{traject.public_id}/",
                    primary=True,
                    testid="checkin",
                )
            ]
            for traject in subjects
        }

    with homes.actions.restored():
        homes.register_actions(homes.MENTOR_WEEK_SLOT, "tests.checkin")(weekly_checkin)
        html = home("mentor2@vandenberghe.demo")
    panel = sections(html, "home-mentor-week")
    assert offered == [["Jonas", "Mohamed"]]
    assert panel.count('data-testid="checkin"') == 2
    assert 'class="button button--primary" href="/check-in/' in panel


def test_what_waits_lists_the_coordinators_open_reminders_with_their_links(home):
    reminders_sweep(dispatch=False)
    html = home("coord@sintjozef.demo")
    panel = sections(html, "home-waiting")
    a2 = Partnership.objects.get(name="Elektromechanische technieken duaal")
    items = re.findall(r'<li class="card" data-testid="waiting-item">(.*?)</li>', panel, flags=re.S)
    assert items, panel
    assert any(f"/partnerships/{a2.public_id}/" in item for item in items)
    assert "/notifications/reminders/" in panel


def test_a_solved_reminder_no_longer_waits(home):
    """A2's RACI gaps stop mattering when the partnership ends: the reminder leaves at once."""
    reminders_sweep(dispatch=False)
    a2 = Partnership.objects.get(name="Elektromechanische technieken duaal")
    assert f"/partnerships/{a2.public_id}/" in sections(
        home("coord@sintjozef.demo"), "home-waiting"
    )
    Partnership.objects.filter(pk=a2.pk).update(status="ended")
    assert f"/partnerships/{a2.public_id}/" not in sections(
        home("coord@sintjozef.demo"), "home-waiting"
    )


def test_nothing_waits_for_a_coordinator_without_reminders(home):
    panel = sections(home("coord@daems.demo"), "home-waiting")
    assert "Er wacht nu niets op je." in panel


def test_the_compiled_family_links_equal_the_orm_for_the_whole_cast(demo_cast):
    """``family_links`` runs a query compiled once per process (``duaal.compiled``): for every
    member of the demo cast it answers what the ORM's query answers, in the same order."""
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from partnerships import permissions
    from partnerships.homes import family_links
    from partnerships.models import StudentContact

    families = 0
    for user in User.objects.order_by("pk"):
        expected = [
            (str(public_id), name, owner == user.pk)
            for public_id, name, owner in permissions.trajects_visible_to(user=user)
            .filter(
                Q(student__user=user)
                | Q(
                    Exists(
                        StudentContact.objects.filter(student_id=OuterRef("student_id"), user=user)
                    )
                )
            )
            .order_by("-partnership__school_year", "student__first_name", "pk")
            .values_list("public_id", "student__first_name", "student__user_id")
        ]
        assert family_links(homes.Viewer(user=user, today=timezone.localdate())) == expected, (
            user.email
        )
        families += bool(expected)
    assert families >= 4  # students and parents of the cast
