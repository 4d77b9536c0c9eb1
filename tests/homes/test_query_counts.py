"""The home's number of queries does not grow with the number of students, partnerships or
reminders a person has (the same count with one student as with many)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications.services.reminders import reminders_sweep
from organisations.services import membership_ensure
from partnerships.models import (
    MentorLoadRule,
    Partnership,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    StudentContact,
    Traject,
)
from partnerships.services.grants import partnership_sync_grants

A1 = {"name": "Lassen-Constructie duaal", "school__name": "Technisch Instituut Sint-Jozef"}


def add_students(count: int, *, mentor: User, parent: User) -> None:
    """``count`` more students in A1 at company X, each with ``mentor`` and ``parent``."""
    partnership = Partnership.objects.get(**A1)
    entry = partnership.companies.select_related("company", "vestiging").first()
    school_class = SchoolClass.objects.filter(school=partnership.school).first()
    lotte = Placement.objects.get(traject__student__first_name="Lotte")
    # From this week's Monday: a placement running since earlier weeks would (rightly) bring
    # the mentor a new kind of reminder, the missing weekly check-ins of those weeks.
    today = timezone.localdate()
    start = max(lotte.start_date, today - timedelta(days=today.weekday()))
    for number in range(count):
        student = Student.objects.create(
            school=partnership.school,
            first_name=f"Extra{number}",
            last_name="Leerling",
            birth_date=date(2009, 1, 1),
            school_class=school_class,
        )
        StudentContact.objects.create(student=student, full_name=parent.full_name, user=parent)
        traject = Traject.objects.create(student=student, partnership=partnership, status="running")
        placement = Placement.objects.create(
            traject=traject,
            company=entry.company,
            vestiging=entry.vestiging,
            start_date=start,
            end_date=lotte.end_date,
            workplace_hours_per_week=Decimal(20),
            wednesday="company",
        )
        PlacementSupervisor.objects.create(placement=placement, user=mentor, kind="mentor")
    partnership_sync_grants(partnership=partnership)


def count_home(client, email: str) -> tuple[int, str]:
    client.force_login(User.objects.get(email=email))
    client.get("/")  # warm the per-process caches (content types) alike for both counts
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    return len(queries.captured_queries), html


PERSONAS = (
    "mentor@vandenberghe.demo",  # one student this week, then six
    "tb@sintjozef.demo",
    "coord@sintjozef.demo",
    "directie@sintjozef.demo",
    "coord@vandenberghe.demo",
    "ouder1@sintjozef.demo",  # one child, then six
)


# The home's queries per persona (the test settings: no shared cache, so the menu and the
# memberships are read on every page). Lowered by the homes' CPU work (issue 13; decision
# 0022, follow-up 2): a new query on a home must be a deliberate change of this table.
HOME_QUERIES = {
    "mentor@vandenberghe.demo": 15,
    "tb@sintjozef.demo": 16,
    "coord@sintjozef.demo": 31,
    "directie@sintjozef.demo": 16,
    "coord@vandenberghe.demo": 35,
    "ouder1@sintjozef.demo": 17,
    "leerling1@sintjozef.demo": 20,
    "lk@sintjozef.demo": 16,
}


@pytest.mark.parametrize("email", sorted(HOME_QUERIES))
def test_the_home_asks_a_known_number_of_queries(client, demo_cast, week, email):
    queries, _html = count_home(client, email)
    assert queries == HOME_QUERIES[email], (email, queries)


@pytest.mark.parametrize("email", PERSONAS)
def test_the_home_query_count_is_the_same_with_one_or_many_students(client, demo_cast, week, email):
    # Six students for one mentor stay within the limit: no new kind of reminder appears
    # (the reminders' own count is tested below).
    MentorLoadRule.objects.update_or_create(paritair_comite="111", defaults={"max_students": 10})
    reminders_sweep(dispatch=False)
    few, html = count_home(client, email)
    add_students(
        5,
        mentor=User.objects.get(email="mentor@vandenberghe.demo"),
        parent=User.objects.get(email="ouder1@sintjozef.demo"),
    )
    reminders_sweep(dispatch=False)
    many, html_many = count_home(client, email)
    assert many == few, (few, many)
    if email in {"mentor@vandenberghe.demo", "ouder1@sintjozef.demo", "tb@sintjozef.demo"}:
        assert "Extra4" in html_many and "Extra4" not in html


def test_what_waits_costs_the_same_with_one_or_many_reminders_of_a_rule(client, demo_cast, week):
    """Coordinator of company X: one mentor above the limit, then three (one reminder each)."""
    company_x = User.objects.get(email="mentor@vandenberghe.demo").memberships.get().organisation
    MentorLoadRule.objects.update_or_create(paritair_comite="111", defaults={"max_students": 1})
    reminders_sweep(dispatch=False)
    few, html = count_home(client, "coord@vandenberghe.demo")
    # mentor2 guides Mohamed and Jonas; and the cast's Lasser-Monteerder recognition expires
    # within three months (recognition_expiring, to the company's coördinators).
    assert html.count('data-testid="waiting-item"') == 2
    for number in range(2):
        mentor = User.objects.create_user(
            email=f"mentor{number}@x.example", full_name=f"Mentor {number}"
        )
        membership_ensure(user=mentor, organisation=company_x)
        add_students(2, mentor=mentor, parent=User.objects.get(email="ouder1@sintjozef.demo"))
    reminders_sweep(dispatch=False)
    many, html = count_home(client, "coord@vandenberghe.demo")
    assert html.count('data-testid="waiting-item"') == 4
    assert many == few, (few, many)
