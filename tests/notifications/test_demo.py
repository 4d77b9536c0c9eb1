"""``seed_reminder_cases``: after the demo seed every rule has a due case, the cast keeps its
visible sets, and running it again changes nothing."""

from __future__ import annotations

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


def test_every_rule_is_due_after_seeding_and_the_cast_sees_the_same(demo_cast, sweep):
    before = _visible()
    _seed_extras()
    assert _visible() == before
    assert {c.rule for rule in rules.values() for c in rule.evaluate(now=timezone.now())} == set(
        rules
    )
    sweep()
    sent = Reminder.objects.filter(status=DeliveryStatus.SENT)
    assert set(sent.values_list("rule", flat=True)) == set(rules)
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
