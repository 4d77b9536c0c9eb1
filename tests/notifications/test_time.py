"""Time travel: lead times of 14 and 3 days, and local dates around the daylight-saving
changes of Europe/Brussels (last Sunday of March and of October)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications.models import DeliveryStatus, Reminder
from tests.notifications.conftest import a1, new_invitation, new_placement, new_traject, user

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(year: int, month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def rows(rule: str) -> list[tuple[date, int, str]]:
    return sorted(Reminder.objects.filter(rule=rule).values_list("due_date", "lead_days", "status"))


def mails_about(text: str) -> int:
    return sum(text in message.subject for message in mail.outbox)


def test_lead_times_14_and_3_days(demo_cast, sweep):
    start = date(2027, 2, 15)
    placement = new_placement(new_traject(a1(), "Fien"), start=start)
    name = placement.traject.student.full_name
    with time_machine.travel(at(2027, 1, 31, 23, 59), tick=False):  # 15 days before
        sweep()
    assert rows("placement_without_mentor") == []
    with time_machine.travel(at(2027, 2, 1, 0, 5), tick=False):  # 14 days before
        sweep()
    assert mails_about(name) == 2  # coördinator (R) and directie (A) of "contracten"
    assert rows("placement_without_mentor") == [(start, 14, DeliveryStatus.SENT)] * 2
    for day in (2, 8, 11):
        with time_machine.travel(at(2027, 2, day), tick=False):
            sweep()
    assert mails_about(name) == 2
    with time_machine.travel(at(2027, 2, 12, 0, 5), tick=False):  # 3 days before
        sweep()
    assert mails_about(name) == 4
    for day in (13, 14, 15, 16):
        with time_machine.travel(at(2027, 2, day), tick=False):
            sweep()
    assert mails_about(name) == 4
    assert [lead for _, lead, _ in rows("placement_without_mentor")] == [3, 3, 14, 14]


def test_a_placement_seen_late_gets_only_the_latest_lead(demo_cast, sweep):
    with time_machine.travel(at(2027, 2, 13), tick=False):
        placement = new_placement(new_traject(a1(), "Lars"), start=date(2027, 2, 15))
        sweep()
    assert rows("placement_without_mentor") == [(placement.start_date, 3, DeliveryStatus.SENT)] * 2
    assert mails_about(placement.traject.student.full_name) == 2


def test_lead_time_across_the_spring_change(demo_cast, sweep):
    # Sunday 28 March 2027 02:00 CET -> 03:00 CEST. The 3-day reminder for a placement on
    # Wednesday 31 March is due on the local date 28 March, not on the UTC date.
    placement = new_placement(new_traject(a1(), "Jules"), start=date(2027, 3, 31))
    name = placement.traject.student.full_name
    with time_machine.travel(at(2027, 3, 17, 9), tick=False):
        sweep()
    assert mails_about(name) == 2
    with time_machine.travel(at(2027, 3, 27, 23, 59), tick=False):
        sweep()
    assert mails_about(name) == 2
    with time_machine.travel(at(2027, 3, 28, 0, 1), tick=False):  # 27 March 23:01 UTC
        sweep()
    assert mails_about(name) == 4
    with time_machine.travel(at(2027, 3, 28, 3, 30), tick=False):  # after the change
        sweep()
    assert mails_about(name) == 4


def test_seven_days_across_the_autumn_change(demo_cast, sweep):
    # Sunday 25 October 2026 03:00 CEST -> 02:00 CET.
    inviter = user("coord@sintjozef.demo")
    invitation = new_invitation(a1(), inviter=inviter, sent=at(2026, 10, 18, 12))
    with time_machine.travel(at(2026, 10, 24, 23, 59), tick=False):
        sweep()
    assert rows("invitation_pending") == []
    with time_machine.travel(at(2026, 10, 25, 0, 1), tick=False):  # 24 October 22:01 UTC
        sweep()
    assert rows("invitation_pending") == [(date(2026, 10, 25), 0, DeliveryStatus.SENT)]
    assert mails_about(invitation.full_name) == 1
    # The repeated hour 02:00-03:00 and later that day: nothing more.
    for moment in (
        datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC")),  # 02:30 CEST
        datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC")),  # 02:30 CET
        at(2026, 10, 25, 23, 59),
    ):
        with time_machine.travel(moment, tick=False):
            sweep()
    assert mails_about(invitation.full_name) == 1


def test_weekly_reminders_start_on_the_local_monday_after_the_change(demo_cast, sweep):
    with time_machine.travel(at(2026, 10, 25, 12), tick=False):
        sweep()
    assert {due for due, _, _ in rows("raci_gap")} == {date(2026, 10, 19)}
    # Monday 26 October 00:30 CET is still Sunday 25 October in UTC.
    with time_machine.travel(at(2026, 10, 26, 0, 30), tick=False):
        sweep()
    assert {due for due, _, _ in rows("raci_gap")} == {date(2026, 10, 19), date(2026, 10, 26)}
    with time_machine.travel(at(2026, 11, 1, 23, 59), tick=False):
        sweep()
    assert {due for due, _, _ in rows("raci_gap")} == {date(2026, 10, 19), date(2026, 10, 26)}


def test_a_lease_is_measured_in_real_time_across_the_change(demo_cast, sweep, settings):
    from notifications.services.reminders import reminders_sweep

    settings.DUAAL_REMINDER_LEASE_SECONDS = 15 * 60
    # Claimed at 01:55 CEST; the clock jumps back at 03:00 CEST to 02:00 CET.
    with time_machine.travel(datetime(2026, 10, 24, 23, 55, tzinfo=ZoneInfo("UTC")), tick=False):
        claimed = reminders_sweep(dispatch=False).claimed
    assert claimed
    # 02:05 CET is 70 minutes later in real time: the lease is over.
    with time_machine.travel(datetime(2026, 10, 25, 1, 5, tzinfo=ZoneInfo("UTC")), tick=False):
        assert sorted(sweep().claimed) == sorted(claimed)
    # 14 minutes of real time after a claim: still leased, whatever the wall clock shows.
    Reminder.objects.all().delete()
    with time_machine.travel(datetime(2026, 10, 25, 0, 50, tzinfo=ZoneInfo("UTC")), tick=False):
        claimed = reminders_sweep(dispatch=False).claimed
    with time_machine.travel(datetime(2026, 10, 25, 1, 4, tzinfo=ZoneInfo("UTC")), tick=False):
        assert sweep().claimed == []
