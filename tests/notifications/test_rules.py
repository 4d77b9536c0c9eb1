"""Each reminder rule: due and not-due cases, recipients by RACI role, set-based queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.registry import current_lead, monday_of, rules
from partnerships.models import MentorLoadRule, Partnership, TeamMember
from partnerships.reminders import (
    InvitationPending,
    MentorOverload,
    PlacementWithoutMentor,
    RaciGap,
)
from partnerships.services.grants import partnership_sync_grants
from tests.notifications.conftest import (
    a1,
    a2,
    b1,
    new_invitation,
    new_placement,
    new_traject,
    today,
    user,
)

pytestmark = pytest.mark.django_db


def recipients(candidates, subject_id=None) -> set[str]:
    from accounts.models import User

    ids = {c.recipient_id for c in candidates if subject_id is None or c.subject_id == subject_id}
    return set(User.objects.filter(pk__in=ids).values_list("email", flat=True))


def test_current_lead_takes_the_latest_lead_that_has_passed():
    day = today()
    leads = (14, 3)
    assert current_lead(due=day + timedelta(days=15), today=day, leads=leads) is None
    assert current_lead(due=day + timedelta(days=14), today=day, leads=leads) == 14
    assert current_lead(due=day + timedelta(days=4), today=day, leads=leads) == 14
    assert current_lead(due=day + timedelta(days=3), today=day, leads=leads) == 3
    assert current_lead(due=day, today=day, leads=leads) == 3
    assert current_lead(due=day, today=day, leads=(0,)) == 0
    assert current_lead(due=day + timedelta(days=1), today=day, leads=(0,)) is None


def test_monday_of():
    day = today()
    assert monday_of(day).weekday() == 0
    assert 0 <= (day - monday_of(day)).days < 7


# --- (a) placement within 14 days without a mentor ---------------------------------------


def test_placement_without_mentor_is_due_for_the_contract_holders(demo_cast):
    placement = new_placement(new_traject(a1()), start=today() + timedelta(days=10))
    found = PlacementWithoutMentor().evaluate(now=timezone.now())
    mine = [c for c in found if c.subject_id == placement.pk]
    # "Opmaken contracten": coördinator school R, directie school A.
    assert recipients(mine) == {"coord@sintjozef.demo", "directie@sintjozef.demo"}
    assert {c.due_date for c in mine} == {placement.start_date}
    assert {c.lead_days for c in mine} == {14}
    assert {c.traject_id for c in mine} == {placement.traject_id}
    assert {c.partnership_id for c in mine} == {a1().pk}


def test_placement_recipients_follow_the_matrix(demo_cast):
    from partnerships.models import RaciCell

    placement = new_placement(new_traject(a1()), start=today() + timedelta(days=2))
    RaciCell.objects.filter(partnership=a1(), task="contracten", role="coordinator_school").update(
        letter="C"
    )
    RaciCell.objects.create(
        partnership=a1(), task="contracten", role="trajectbegeleider", letter="R"
    )
    found = PlacementWithoutMentor().evaluate(now=timezone.now())
    assert recipients(found, placement.pk) == {"tb@sintjozef.demo", "directie@sintjozef.demo"}
    assert {c.lead_days for c in found if c.subject_id == placement.pk} == {3}


@pytest.mark.parametrize(
    "case",
    ["has_mentor", "too_far", "started", "stopped_traject", "ended_partnership"],
)
def test_placement_without_mentor_not_due(demo_cast, case):
    traject = new_traject(a1())
    start = today() + timedelta(days=5)
    mentor = None
    if case == "has_mentor":
        mentor = user("mentor@vandenberghe.demo")
    elif case == "too_far":
        start = today() + timedelta(days=15)
    elif case == "started":
        start = today() - timedelta(days=1)
    elif case == "stopped_traject":
        traject.status = "stopped"
        traject.save()
    elif case == "ended_partnership":
        Partnership.objects.filter(pk=a1().pk).update(status="ended")
    placement = new_placement(traject, start=start, mentor=mentor)
    assert not [
        c
        for c in PlacementWithoutMentor().evaluate(now=timezone.now())
        if c.subject_id == placement.pk
    ]


def test_demo_placements_have_mentors_and_are_not_due(demo_cast):
    assert PlacementWithoutMentor().evaluate(now=timezone.now()) == []


# --- (b) RACI task without R or A in the team ----------------------------------------------


def test_raci_gap_a1_has_none_a2_and_b1_have_some(demo_cast):
    gaps = RaciGap().gaps()
    assert a1().pk not in gaps
    # A2 has no directie bedrijf (A of informeren_mentoren) and no leerkracht (R of leerinhouden).
    assert ("informeren_mentoren", "A") in gaps[a2().pk]
    assert ("leerinhouden", "R") in gaps[a2().pk]
    # B1 has no coördinator school: the A of screening.
    assert ("screening", "A") in gaps[b1().pk]


def test_raci_gap_reminds_the_contract_holders_weekly(demo_cast):
    found = RaciGap().evaluate(now=timezone.now())
    assert recipients([c for c in found if c.subject_id == a2().pk]) == {
        "coord@sintjozef.demo",
        "directie@sintjozef.demo",
    }
    assert recipients([c for c in found if c.subject_id == b1().pk]) == {"directie@dering.demo"}
    assert {c.due_date for c in found} == {monday_of(today())}
    assert {c.lead_days for c in found} == {0}


def test_raci_gap_closes_when_someone_takes_the_role(demo_cast):
    partnership = a2()
    TeamMember.objects.create(
        partnership=partnership,
        user=user("coord@daems.demo"),
        role="directie_bedrijf",
        organisation=partnership.companies.first().company,
    )
    gaps = RaciGap().gaps(partnership_ids=[partnership.pk])
    assert ("informeren_mentoren", "A") not in gaps[partnership.pk]
    assert ("leerinhouden", "R") in gaps[partnership.pk]


def test_raci_gap_not_due_for_a_partnership_in_preparation(demo_cast):
    Partnership.objects.filter(pk=a2().pk).update(status="preparation")
    assert not [c for c in RaciGap().evaluate(now=timezone.now()) if c.subject_id == a2().pk]


def test_raci_gap_inactive_member_does_not_fill_a_letter(demo_cast):
    from accounts.models import User

    User.objects.filter(email="lk@sintjozef.demo").update(is_active=False)
    assert ("klassenraad", "R") in RaciGap().gaps(partnership_ids=[a1().pk])[a1().pk]


# --- (c) mentor above the student limit -----------------------------------------------------


def test_no_demo_mentor_is_above_the_default_limit(demo_cast):
    assert MentorOverload().evaluate(now=timezone.now()) == []


def test_mentor_above_the_sector_limit(demo_cast):
    MentorLoadRule.objects.create(paritair_comite="111", max_students=1)
    mentor = user("mentor2@vandenberghe.demo")  # Mohamed (A1) and Jonas (B1)
    found = MentorOverload().evaluate(now=timezone.now())
    assert {c.subject_id for c in found} == {mentor.pk}
    # R and A of "informeren_mentoren" in A1 and B1; one row each, not one per partnership.
    assert recipients(found) == {"coord@vandenberghe.demo", "directie@vandenberghe.demo"}
    assert len(found) == 2
    assert MentorOverload().loads(today=today())[mentor.pk][:2] == (2, 1)


def test_mentor_above_the_default_limit_with_a_fourth_student(demo_cast, settings):
    settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS = 3
    mentor = user("mentor@vandenberghe.demo")
    for _ in range(3):
        new_placement(new_traject(a1()), start=today() - timedelta(days=3), mentor=mentor)
    found = MentorOverload().evaluate(now=timezone.now())
    assert {c.subject_id for c in found} == {mentor.pk}


@pytest.mark.parametrize("case", ["ended", "future", "completed"])
def test_mentor_load_counts_only_running_placements(demo_cast, case):
    mentor = user("mentor@vandenberghe.demo")  # guides Lotte
    for _ in range(3):
        traject = new_traject(a1())
        if case == "ended":
            new_placement(
                traject,
                start=today() - timedelta(days=60),
                end=today() - timedelta(days=1),
                mentor=mentor,
            )
        elif case == "future":
            new_placement(traject, start=today() + timedelta(days=1), mentor=mentor)
        else:
            traject.status = "completed"
            traject.save()
            new_placement(traject, start=today() - timedelta(days=3), mentor=mentor)
    assert MentorOverload().evaluate(now=timezone.now()) == []


# --- (d) invitation not accepted after 7 days ---------------------------------------------


def test_invitation_pending_after_seven_days_goes_to_the_inviter(demo_cast):
    inviter = user("coord@sintjozef.demo")
    invitation = new_invitation(a1(), inviter=inviter, sent=timezone.now() - timedelta(days=7))
    found = InvitationPending().evaluate(now=timezone.now())
    assert [(c.subject_id, c.recipient_id) for c in found] == [(invitation.pk, inviter.pk)]
    assert found[0].due_date == timezone.localdate(invitation.sent_at) + timedelta(days=7)
    assert found[0].partnership_id == a1().pk


@pytest.mark.parametrize("case", ["six_days", "accepted", "revoked", "expired", "inactive_inviter"])
def test_invitation_not_due(demo_cast, case):
    from accounts.models import User

    inviter = user("coord@sintjozef.demo")
    sent = timezone.now() - timedelta(days=6 if case == "six_days" else 8)
    invitation = new_invitation(a1(), inviter=inviter, sent=sent)
    if case == "accepted":
        invitation.accepted_at = timezone.now()
    elif case == "revoked":
        invitation.revoked_at = timezone.now()
    elif case == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif case == "inactive_inviter":
        User.objects.filter(pk=inviter.pk).update(is_active=False)
    invitation.save()
    assert InvitationPending().evaluate(now=timezone.now()) == []


def test_a_resent_invitation_counts_from_the_new_send(demo_cast):
    invitation = new_invitation(
        a1(), inviter=user("coord@sintjozef.demo"), sent=timezone.now() - timedelta(days=9)
    )
    invitation.sent_at = timezone.now() - timedelta(days=2)
    invitation.save()
    assert InvitationPending().evaluate(now=timezone.now()) == []


# --- set-based: the number of queries does not grow with the subjects ---------------------


def _populate(size: int) -> None:
    inviter = user("coord@sintjozef.demo")
    mentor = user("mentor@vandenberghe.demo")
    for _ in range(size):
        new_placement(new_traject(a1()), start=today() + timedelta(days=5))
        new_placement(new_traject(b1()), start=today() - timedelta(days=5), mentor=mentor)
        new_invitation(a2(), inviter=inviter, sent=timezone.now() - timedelta(days=8))
        # Ilse Daems' mentor training is overdue (the demo): placement_ineligible.
        new_placement(
            new_traject(a2()), start=today() - timedelta(days=5), mentor=user("coord@daems.demo")
        )


# Partnerships' rules (``_populate`` makes their subjects); the evaluation rules have the same
# test in tests/evaluation/test_reminders.py.
PARTNERSHIP_RULES = sorted(
    code for code, rule in rules.items() if type(rule).__module__ == "partnerships.reminders"
)


@pytest.mark.parametrize("rule", PARTNERSHIP_RULES)
def test_rule_query_count_is_constant(demo_cast, rule):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    MentorLoadRule.objects.create(paritair_comite="111", max_students=2)
    counts = []
    for size in (2, 12):
        _populate(size)
        ContentType.objects.clear_cache()  # both counts from cold caches, whatever ran before
        with CaptureQueriesContext(connection) as queries:
            found = rules[rule].evaluate(now=timezone.now())
        assert found, rule
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # placement_ineligible also reads the recognitions, the mentors and their profiles.
    assert counts[0] <= (9 if rule == "placement_ineligible" else 5)


def test_placement_reminder_goes_only_to_people_who_see_the_student(demo_cast):
    """A matrix that makes the company coördinator R of "contracten": they are reminded of
    their own company's students only (the access model's scope), never of another's."""
    from organisations.models import Organisation, Vestiging
    from partnerships.models import PartnershipCompany, RaciCell

    daems = Organisation.objects.get(name="Koeltechniek Daems")
    PartnershipCompany.objects.create(
        partnership=a1(), company=daems, vestiging=Vestiging.objects.get(organisation=daems)
    )
    RaciCell.objects.filter(partnership=a1(), task="contracten", role="coordinator_bedrijf").update(
        letter="R"
    )
    at_x = new_placement(new_traject(a1()), start=today() + timedelta(days=4))
    at_daems = new_placement(new_traject(a1()), start=today() + timedelta(days=4))
    at_daems.company = daems
    at_daems.vestiging = Vestiging.objects.get(organisation=daems)
    at_daems.save()
    partnership_sync_grants(partnership=a1())
    found = PlacementWithoutMentor().evaluate(now=timezone.now())
    school = {"coord@sintjozef.demo", "directie@sintjozef.demo"}
    assert recipients(found, at_x.pk) == school | {"coord@vandenberghe.demo"}
    assert recipients(found, at_daems.pk) == school
