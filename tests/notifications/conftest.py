"""Helpers of the notification tests: demo objects, new subjects for the rules, one sweep."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.utils import timezone

from accounts.models import User
from organisations.models import Organisation
from partnerships.models import (
    Invitation,
    Partnership,
    Placement,
    PlacementSupervisor,
    SchoolClass,
    Student,
    Traject,
)
from partnerships.services.grants import partnership_sync_grants

SINT_JOZEF = "Technisch Instituut Sint-Jozef"
DE_RING = "GO! Technisch Atheneum De Ring"
_counter = itertools.count(1)


def user(email: str) -> User:
    return User.objects.get(email=email)


def a1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=SINT_JOZEF)


def a2() -> Partnership:
    return Partnership.objects.get(name="Elektromechanische technieken duaal")


def b1() -> Partnership:
    return Partnership.objects.get(name="Lassen-Constructie duaal", school__name=DE_RING)


def company_x() -> Organisation:
    return Organisation.objects.get(name="Metaalbouw Vandenberghe")


def new_traject(partnership: Partnership, first_name: str = "") -> Traject:
    """A new student of the partnership's school with a traject in it (status intake)."""
    number = next(_counter)
    student = Student.objects.create(
        school=partnership.school,
        first_name=first_name or f"Leerling{number}",
        last_name="Test",
        birth_date=date(2009, 1, 1),
        school_class=SchoolClass.objects.filter(school=partnership.school).first(),
    )
    return Traject.objects.create(student=student, partnership=partnership)


def new_placement(
    traject: Traject, *, start: date, end: date | None = None, mentor: User | None = None
) -> Placement:
    entry = traject.partnership.companies.select_related("company", "vestiging").first()
    placement = Placement.objects.create(
        traject=traject,
        company=entry.company,
        vestiging=entry.vestiging,
        start_date=start,
        end_date=end or start + timedelta(days=120),
        workplace_hours_per_week=Decimal(20),
    )
    if mentor is not None:
        PlacementSupervisor.objects.create(placement=placement, user=mentor, kind="mentor")
    # As the placement services do: who may see the student follows at once.
    partnership_sync_grants(partnership=traject.partnership)
    return placement


def new_invitation(
    partnership: Partnership, *, inviter: User, sent: datetime, email: str = ""
) -> Invitation:
    number = next(_counter)
    invitation = Invitation.objects.create(
        partnership=partnership,
        organisation=partnership.school,
        email=email or f"uitgenodigd{number}@example.org",
        full_name=f"Genodigde {number}",
        role="leerkracht",
        invited_by=inviter,
        token_hash=f"{number:064d}",
        sent_at=sent,
        send_count=1,
        expires_at=sent + timedelta(days=14),
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    return invitation


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def demo_cast(demo_cast):
    """The cast, without the due cases of ``partnerships.demo.reminder_cases`` (whether or not
    ``seed_demo`` creates them): the tests here count exactly the reminders they set up."""
    # The module, not the demo step of the same name in ``partnerships.demo`` (which
    # ``from partnerships.demo import reminder_cases`` returns until the module is imported).
    reminder_demo = import_module("partnerships.demo.reminder_cases")

    school = {"partnership__school__name": reminder_demo.SCHOOL["name"]}
    Partnership.objects.filter(school__name=reminder_demo.SCHOOL["name"]).update(status="ended")
    Traject.objects.filter(**school).update(status="completed")
    Invitation.objects.filter(**school).update(revoked_at=timezone.now())
    # The cast's recognition that expires within three months (recognition.demo) is due for
    # ``recognition_expiring``: its reminders are counted in tests/recognition/test_reminders.py;
    # here it runs a year longer (the reminders' tenant has an expiring one of its own).
    from recognition.models import Recognition, RecognitionStatus

    for recognition in Recognition.objects.filter(
        status=RecognitionStatus.RECOGNISED,
        valid_until__lte=timezone.localdate() + timedelta(days=200),
    ):
        Recognition.objects.filter(pk=recognition.pk).update(
            valid_until=recognition.valid_until + timedelta(days=365)
        )
    return demo_cast


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """``sweep(**kwargs)``: one reminder sweep; the mail tasks queued on commit run eagerly."""
    from notifications.services.reminders import reminders_sweep

    def _sweep(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(**kwargs)

    return _sweep


@pytest.fixture
def digests(django_capture_on_commit_callbacks):
    from notifications.services.digests import digests_sweep

    def _digests(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return digests_sweep(**kwargs)

    return _digests
