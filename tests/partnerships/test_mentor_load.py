"""One mentor rule (issue 7, item 4): the placement validator, the company overview and the
mentor-overload reminder count a mentor's students the same way — open trajects only, per day,
rotation placements never adding up."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership, PartnershipCompany, SchoolClass, Student, Traject
from partnerships.selectors.mentors import (
    mentor_load,
    mentor_loads,
    mentor_peak_load,
)
from partnerships.selectors.trajects import company_mentors
from partnerships.services.trajects import placement_create, traject_create

pytestmark = pytest.mark.django_db


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name__contains="Sint")


def a2() -> Partnership:
    return Partnership.objects.get(name="Elektromechanische technieken duaal")


def company_x() -> PartnershipCompany:
    return (
        a1()
        .companies.select_related("company", "vestiging")
        .get(company__name="Metaalbouw Vandenberghe")
    )


def company_z() -> PartnershipCompany:
    """Daems in A2, where ``mentor@daems.demo`` guides Emma all year — one student. (Patrick
    Hermans at company X guides Lotte and, from three weeks after seeding, Noor.)"""
    return (
        a2().companies.select_related("company", "vestiging").get(company__name__contains="Daems")
    )


def new_traject(first_name: str, entry: PartnershipCompany | None = None) -> Traject:
    partnership = (entry or company_x()).partnership
    student = Student.objects.create(
        school=partnership.school,
        school_class=SchoolClass.objects.filter(school=partnership.school).first(),
        first_name=first_name,
        last_name="Test",
        birth_date=timezone.localdate() - timedelta(days=17 * 365),
    )
    return traject_create(
        actor=user("coord@sintjozef.demo"), partnership=partnership, student=student
    )


def place(
    traject: Traject, mentor: User, start, end, entry: PartnershipCompany | None = None
) -> None:
    entry = entry or company_x()
    placement_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=entry.company,
        vestiging=entry.vestiging,
        start_date=start,
        end_date=end,
        weekly_pattern={},
        workplace_hours_per_week=Decimal("20"),
        mentors=[mentor],
    )


def three_views(mentor: User, day, entry: PartnershipCompany | None = None) -> tuple[int, int, int]:
    """(the validator's count for one day, the overview's, the reminder's)."""
    company = (entry or company_x()).company
    validator = mentor_peak_load(mentor=mentor, start=day, end=day)
    overview = {m.pk: m.load for m in company_mentors(company=company, today=day)}
    reminder = mentor_loads(on=day, mentor_ids=[mentor.pk]).get(mentor.pk, 0)
    return validator, overview.get(mentor.pk, 0), reminder


def test_a_stopped_traject_frees_the_place_in_all_three(demo_cast):
    mentor, z = user("mentor@daems.demo"), company_z()  # guides Emma
    first, last = a2().school_year_bounds
    today = max(first, min(timezone.localdate(), last))
    nora, finn = new_traject("Nora", z), new_traject("Finn", z)
    place(nora, mentor, first, last, z)
    place(finn, mentor, first, last, z)
    assert three_views(mentor, today, z) == (3, 3, 3) == (mentor_load(mentor=mentor, on=today),) * 3
    lina = new_traject("Lina", z)
    with pytest.raises(ValidationError):
        place(lina, mentor, first, last, z)  # a fourth student
    Traject.objects.filter(pk=finn.pk).update(status="stopped")
    assert three_views(mentor, today, z) == (2, 2, 2)
    place(lina, mentor, first, last, z)  # the stopped traject no longer blocks the fourth
    assert three_views(mentor, today, z) == (3, 3, 3)


def test_sequential_rotations_do_not_add_up(demo_cast):
    mentor, z = user("mentor@daems.demo"), company_z()  # guides Emma
    first, last = a2().school_year_bounds
    middle = first + (last - first) / 2
    before_first, before_last = (mentor_load(mentor=mentor, on=day) for day in (first, last))
    assert before_first == 1 and before_last <= 1
    # Two students one after the other (a rotation) and one more in the first half: never
    # more than three on one day, so the validator accepts them all.
    nora, finn, lina = (new_traject(name, z) for name in ("Nora", "Finn", "Lina"))
    place(nora, mentor, first, middle, z)
    place(finn, mentor, middle + timedelta(days=1), last, z)
    place(lina, mentor, first, middle, z)
    assert three_views(mentor, first, z) == (3, 3, 3)
    assert three_views(mentor, last, z) == (before_last + 1,) * 3
    assert mentor_peak_load(mentor=mentor, start=first, end=last) == 3
    # A fourth in the first half is refused, in the second half accepted.
    with pytest.raises(ValidationError):
        place(new_traject("Mila", z), mentor, first, first + timedelta(days=30), z)
    place(new_traject("Jef", z), mentor, middle + timedelta(days=1), last, z)
    assert three_views(mentor, last, z) == (before_last + 2,) * 3


def test_a_rotation_back_to_the_same_mentor_counts_one_student(demo_cast):
    mentor = user("mentor2@vandenberghe.demo")
    first, last = a1().school_year_bounds
    middle = first + (last - first) / 2
    nora = new_traject("Nora")
    place(nora, mentor, first, middle)
    place(nora, mentor, middle + timedelta(days=1), last)
    assert mentor_peak_load(mentor=mentor, start=first, end=last) >= 1
    assert (
        mentor_peak_load(mentor=mentor, start=first, end=last, exclude_traject_id=nora.pk)
        == mentor_peak_load(mentor=mentor, start=first, end=last) - 1
    )


def test_the_overload_reminder_counts_as_the_validator(demo_cast, settings):
    """The reminder reads the same rule: a stopped traject no longer makes a mentor overloaded."""
    from partnerships.reminders import MentorOverload

    mentor = user("mentor@vandenberghe.demo")  # guides Lotte
    first, last = a1().school_year_bounds
    today = max(first, min(timezone.localdate(), last))
    nora = new_traject("Nora")
    place(nora, mentor, first, last)
    assert mentor_load(mentor=mentor, on=today) == 2
    settings.DUAAL_DEFAULT_MENTOR_MAX_STUDENTS = 1  # now one student too many
    students, limit, _partnerships = MentorOverload().loads(today=today, mentor_ids=[mentor.pk])[
        mentor.pk
    ]
    assert (
        (students, limit) == (2, 1) == (mentor_peak_load(mentor=mentor, start=today, end=today), 1)
    )
    Traject.objects.filter(pk=nora.pk).update(status="stopped")
    assert MentorOverload().loads(today=today, mentor_ids=[mentor.pk]) == {}
    assert three_views(mentor, today) == (1, 1, 1)
