"""The sweep's round trips do not grow with the number of rows it inserts, claims or cancels
(issue 13): the same statements for 10 rows as for 4 500 (more than the 2 000-row batches of
the former ``bulk_create`` and ``pk__in`` chunks)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications.models import DeliveryStatus, Reminder
from notifications.registry import Candidate, ReminderRule, rules
from notifications.services.reminders import SweepResult, reminders_sweep
from tests.notifications.conftest import user

pytestmark = pytest.mark.django_db


class Bulk(ReminderRule):
    """Asks, today, for one reminder per subject 1 … ``count`` to one recipient."""

    label = "Bulk"
    help_text = "Many reminders at once."
    subject_model = User

    def __init__(self, code: str, count: int, recipient_id: int) -> None:
        self.code = code
        self.count = count
        self.recipient_id = recipient_id

    def evaluate(
        self, *, now: datetime, subject_ids: Iterable[int] | None = None
    ) -> list[Candidate]:
        today = timezone.localdate(now)
        content_type = self.content_type_id()
        return [
            Candidate(self.code, content_type, n, self.recipient_id, today, 0)
            for n in range(1, self.count + 1)
        ]


def counted_sweep(**kwargs) -> tuple[int, SweepResult]:
    with CaptureQueriesContext(connection) as captured:
        result = reminders_sweep(dispatch=False, **kwargs)
    return len(captured.captured_queries), result


def scenario(count: int) -> tuple[int, int]:
    """Queries of two sweeps over ``count`` reminders of a fresh rule: the first inserts them
    all and claims a tenth (the claim batch), the second claims the pending rows the rule still
    asks for and cancels the rest (the rule now asks for half)."""
    code = f"bulk_{count}"
    recipient = user("coord@sintjozef.demo")
    with rules.restored():
        rule = Bulk(code, count, recipient.pk)
        rules.register(code, rule)
        inserting, first = counted_sweep(limit=count // 10)
        assert first.created == count
        assert len(first.claimed) == count // 10
        mine = Reminder.objects.filter(rule=code)
        assert mine.filter(status=DeliveryStatus.PENDING).count() == count - count // 10
        # The first tenth by the rule's order were claimed, under the sweep's token.
        assert set(mine.filter(pk__in=first.claimed).values_list("subject_id", flat=True)) == set(
            range(1, count // 10 + 1)
        )
        assert set(mine.filter(claim_token=first.token).values_list("pk", flat=True)) == set(
            first.claimed
        )

        rule.count = count // 2
        claiming, second = counted_sweep()
        assert second.created == 0
        assert len(second.claimed) == count // 2 - count // 10
        assert second.cancelled == count - count // 2
        cancelled = mine.filter(status=DeliveryStatus.CANCELLED).values_list(
            "subject_id", flat=True
        )
        assert set(cancelled) == set(range(count // 2 + 1, count + 1))
        assert not mine.filter(status=DeliveryStatus.PENDING).exists()
    return inserting, claiming


def test_the_sweeps_round_trips_do_not_grow_with_its_rows(demo_cast):
    reminders_sweep(dispatch=False)  # the demo's own reminders, and warm caches
    ContentType.objects.get_for_model(User)  # the rule's subject type, cached from here on
    small = scenario(10)
    large = scenario(4500)
    assert large == small
