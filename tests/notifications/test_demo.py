"""``seed_reminder_cases``: after the demo seed every rule has a due case, the cast keeps its
visible sets, and running it again changes nothing."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from duaal import demo
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import rules
from organisations import demo as people
from organisations.models import Organisation
from partnerships.demo.reminder_cases import seed_reminder_cases
from partnerships.models import Invitation, Placement, Student, Traject
from partnerships.permissions import partnerships_visible_to, trajects_visible_to
from recognition.models import Programmatie
from recognition.programmatie_reminders import ProgrammatieRule

pytestmark = pytest.mark.django_db


def _visible() -> dict[str, tuple[set[str], set[str]]]:
    result = {}
    for person in people.PEOPLE:
        account = User.objects.get(email=person.email)
        students = set(
            trajects_visible_to(user=account).values_list("student__first_name", flat=True)
        )
        partnerships = set(partnerships_visible_to(user=account).values_list("pk", flat=True))
        result[person.email] = (students, partnerships)
    return result


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (User, Organisation, Student, Traject, Placement, Invitation)
    )


def _seed_extras() -> None:
    """Every extra contribution (the tenants with due cases of partnerships' and
    evaluation's rules), as ``seed_demo`` runs them after the cast."""
    for contribution in demo.ordered():
        if contribution.extra:
            contribution.run(password=demo.DEFAULT_PASSWORD)


def _calendar_rules() -> dict[str, ProgrammatieRule]:
    """Rules of fixed days of the school year (30 November, 1 October): they cannot be due on
    every day of the year, so their demo case is checked on the day it reminds on."""
    return {code: rule for code, rule in rules.items() if isinstance(rule, ProgrammatieRule)}


def test_every_rule_is_due_after_seeding_and_the_cast_sees_the_same(demo_cast, sweep):
    before = _visible()
    _seed_extras()
    assert _visible() == before
    calendar = _calendar_rules()
    assert calendar  # the programmatie rules
    now = timezone.now()
    due_now = {c.rule for rule in rules.values() for c in rule.evaluate(now=now)}
    assert due_now - set(calendar) == set(rules) - set(calendar)
    today = timezone.localdate(now)
    for code, rule in calendar.items():
        days = {
            rule.due(item.school_year)
            for item in Programmatie.objects.filter(status=rule.status)
            if rule.due(item.school_year) >= today
        }
        found = {
            c.rule
            for day in days
            for c in rule.evaluate(now=timezone.make_aware(datetime.combine(day, time(12))))
        }
        assert found == {code}, code
    sweep()
    sent = Reminder.objects.filter(status=DeliveryStatus.SENT)
    assert set(rules) - set(calendar) <= set(sent.values_list("rule", flat=True)) <= set(rules)
    assert len(mail.outbox) == sent.count()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"coord@sintjozef.demo", "coord@maasland.demo", "coord@kempen.demo"} <= recipients


def test_seeding_twice_changes_nothing(demo_cast):
    seed_reminder_cases()
    counts = _counts()
    seed_reminder_cases()
    assert _counts() == counts
    assert Invitation.objects.filter(accepted_at=None, revoked_at=None).count() == 1


def test_the_new_people_log_in_with_the_demo_password(demo_cast, client):
    seed_reminder_cases()
    response = client.post(
        "/accounts/login/", {"username": "coord@maasland.demo", "password": demo.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
