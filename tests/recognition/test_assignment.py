"""Enforced at assignment (issue 12, item 5): a placement on a vestiging not recognised for the
opleiding, or with an ineligible mentor, is refused with every reason; the demo's placements
stay valid."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.models import User
from partnerships.models import Partnership, Placement, PlacementSupervisor, SchoolClass, Student
from partnerships.selectors.mentors import mentor_may_take
from partnerships.services.trajects import placement_create, traject_create
from recognition.models import MentorProfile, Recognition, RecognitionStatus

pytestmark = pytest.mark.django_db


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(
        name="Lassen-Constructie duaal", school__name="Technisch Instituut Sint-Jozef"
    )


def new_traject():
    partnership = a1()
    student = Student.objects.create(
        school=partnership.school,
        school_class=SchoolClass.objects.filter(school=partnership.school).first(),
        first_name="Nora",
        last_name="Test",
        birth_date=timezone.localdate() - timedelta(days=17 * 365),
    )
    return traject_create(
        actor=user("coord@sintjozef.demo"), partnership=partnership, student=student
    )


def place(traject, mentors):
    entry = a1().companies.select_related("company", "vestiging").get()
    first, last = a1().school_year_bounds
    return placement_create(
        actor=user("coord@sintjozef.demo"),
        traject=traject,
        company=entry.company,
        vestiging=entry.vestiging,
        start_date=first,
        end_date=last,
        weekly_pattern={},
        workplace_hours_per_week=Decimal("20"),
        mentors=mentors,
    )


def test_every_demo_placement_may_keep_its_mentors(demo_cast):
    placements = Placement.objects.select_related("traject__partnership", "company", "vestiging")
    assert placements.exists()
    for placement in placements:
        for supervision in placement.supervisors.filter(kind=PlacementSupervisor.Kind.MENTOR):
            assert mentor_may_take(supervision.user, placement) == [], placement


def test_a_recognised_vestiging_and_eligible_mentor_take_a_student(demo_cast):
    placement = place(new_traject(), [user("mentor@vandenberghe.demo")])
    assert placement.pk


def test_an_unrecognised_vestiging_is_refused_with_the_reason(demo_cast):
    Recognition.objects.filter(
        vestiging__name__contains="Vandenberghe", opleiding__code="lassen-constructie"
    ).update(status=RecognitionStatus.WITHDRAWN)
    traject = new_traject()
    with translation.override("nl-be"), pytest.raises(ValidationError) as error:
        place(traject, [user("mentor@vandenberghe.demo")])
    [reason] = error.value.message_dict["vestiging"]
    assert "Lassen-Constructie duaal" in reason
    assert "niet erkend" in reason
    assert not Placement.objects.filter(traject=traject).exists()


def test_an_ineligible_mentor_is_refused_with_every_reason(demo_cast):
    mentor = user("mentor@vandenberghe.demo")
    MentorProfile.objects.filter(user=mentor).update(
        experience_years=3,
        extract_status="",
        birth_date=timezone.localdate() - timedelta(days=365 * 22),
    )
    traject = new_traject()
    with translation.override("nl-be"), pytest.raises(ValidationError) as error:
        place(traject, [mentor])
    reasons = error.value.message_dict["mentors"]
    assert len(reasons) == 3, reasons
    assert all("Patrick Hermans" in reason for reason in reasons)
    assert "vestiging" not in error.value.message_dict
    assert not Placement.objects.filter(traject=traject).exists()


def test_the_demo_mentor_with_overdue_training_is_refused(demo_cast):
    emma = Placement.objects.get(traject__student__first_name="Emma")
    with translation.override("nl-be"):
        [unmet] = mentor_may_take(user("coord@daems.demo"), emma)
    assert "mentoropleiding" in unmet


def test_the_form_refuses_with_the_reasons(client, demo_cast, login):
    MentorProfile.objects.filter(user__email="mentor@vandenberghe.demo").delete()
    traject = new_traject()
    year = a1().school_year
    login("coord@sintjozef.demo")
    client.cookies["duaal_language"] = "nl-be"
    response = client.post(
        f"/trajects/{traject.public_id}/placements/new/",
        {
            "company_vestiging": a1().companies.get().pk,
            "start_date": f"{year}-10-01",
            "end_date": f"{year + 1}-06-30",
            "monday": "school",
            "tuesday": "school",
            "wednesday": "company",
            "thursday": "company",
            "friday": "school",
            "workplace_hours_per_week": "15",
            "mentors": [user("mentor@vandenberghe.demo").pk],
        },
    )
    assert response.status_code == 400
    assert "Patrick Hermans heeft nog geen mentorprofiel" in response.content.decode()
    assert not Placement.objects.filter(traject=traject).exists()
