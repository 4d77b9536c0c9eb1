"""The sweeper and the sending task in eager mode: rows, claims, tokens, leases, opt-outs,
digests, SMTP errors, the rolled-back transaction and the ``send_reminders`` command."""

from __future__ import annotations

import io
import smtplib
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from notifications import conf
from notifications.models import DeliveryStatus, Digest, EmailState, Notification, Reminder
from notifications.registry import rules
from notifications.services.notifications import preference_update
from notifications.services.reminders import reminders_sweep
from notifications.tasks import send_reminder
from tests.notifications.conftest import (
    a1,
    a2,
    new_invitation,
    new_placement,
    new_traject,
    today,
    user,
)

pytestmark = pytest.mark.django_db

# The demo's due reminders: gaps in the RACI matrix of A2 (coord + directie Sint-Jozef) and B1.
DEMO_RECIPIENTS = ["coord@sintjozef.demo", "directie@dering.demo", "directie@sintjozef.demo"]


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_sweep_inserts_claims_and_sends_each_due_reminder_once(demo_cast, sweep):
    result = sweep()
    assert result.created == 3 and len(result.claimed) == 3
    assert sent_to() == DEMO_RECIPIENTS
    for reminder in Reminder.objects.all():
        assert reminder.status == DeliveryStatus.SENT
        assert reminder.attempts == 1
        assert reminder.message_id == f"<reminder-{reminder.pk}-{reminder.due_date:%Y%m%d}@duaal>"
        assert reminder.notification.email_state == EmailState.SENT
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == set(
        Reminder.objects.values_list("message_id", flat=True)
    )
    message = next(m for m in mail.outbox if m.to == ["directie@dering.demo"])
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    again = sweep()
    assert (again.created, again.claimed) == (0, [])
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


def test_in_app_notification_links_to_the_page_to_act(demo_cast, sweep):
    sweep()
    notification = Notification.objects.get(user__email="directie@dering.demo")
    assert notification.kind == "raci_gap"
    assert notification.url.endswith("/raci/")
    assert notification.read_at is None


def test_mail_is_in_the_recipient_language(demo_cast, sweep):
    from accounts.models import User

    User.objects.filter(email="coord@sintjozef.demo").update(language="en")
    sweep()
    english = next(m for m in mail.outbox if m.to == ["coord@sintjozef.demo"])
    dutch = next(m for m in mail.outbox if m.to == ["directie@sintjozef.demo"])
    assert english.subject.startswith("Tasks without a responsible or accountable person")
    assert english.body.startswith("Hello Koen,")
    assert dutch.body.startswith("Dag Marc,")
    assert "Screening" in dutch.body or "Informeren" in dutch.body


def test_claiming_is_limited_per_sweep_and_obsolete_rows_are_cancelled(demo_cast, sweep):
    soon = today() + timedelta(days=5)
    first = new_placement(new_traject(a1()), start=soon)
    second = new_placement(new_traject(a1()), start=soon)
    result = sweep(limit=1)
    assert len(result.claimed) == 1 and len(mail.outbox) == 1
    pending = Reminder.objects.filter(status=DeliveryStatus.PENDING)
    assert pending.count() == result.created - 1
    # The oldest due row went first: one of the first placement's.
    assert Reminder.objects.get(pk=result.claimed[0]).subject_id == first.pk
    # A mentor is found for the second placement before the next sweep.
    second.supervisors.create(user=user("mentor@vandenberghe.demo"), kind="mentor")
    sweep()
    assert not Reminder.objects.filter(status=DeliveryStatus.PENDING).exists()
    cancelled = Reminder.objects.filter(status=DeliveryStatus.CANCELLED)
    assert list(cancelled.values_list("subject_id", flat=True)) == [second.pk, second.pk]
    assert len(mail.outbox) == result.created - 2


def test_a_foreign_claim_token_sends_nothing(demo_cast):
    result = reminders_sweep(dispatch=False)
    pk = result.claimed[0]
    assert send_reminder.apply(args=[pk, str(uuid.uuid4())]).get() == "stale"
    assert mail.outbox == []
    assert send_reminder.apply(args=[pk, str(result.token)]).get() == "sent"
    assert send_reminder.apply(args=[pk, str(result.token)]).get() == "stale"
    assert len(mail.outbox) == 1


def test_a_row_stuck_in_sending_is_claimed_again_after_the_lease(demo_cast, sweep):
    first = reminders_sweep(dispatch=False)  # the worker that got these died
    assert sweep().claimed == []  # within the lease: nobody else takes them
    with time_machine.travel(timezone.now() + conf.lease() + timedelta(seconds=1)):
        second = sweep()
    assert sorted(second.claimed) == sorted(first.claimed)
    assert second.reclaimed == len(first.claimed)
    assert sent_to() == DEMO_RECIPIENTS
    # The dead worker's task, redelivered late, finds a foreign token.
    assert send_reminder.apply(args=[first.claimed[0], str(first.token)]).get() == "stale"
    assert len(mail.outbox) == 3


def test_a_rolled_back_transaction_queues_nothing(demo_cast, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reminders_sweep()
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_an_opted_out_recipient_gets_the_notification_but_no_mail(demo_cast, sweep):
    coord = user("coord@sintjozef.demo")
    preference_update(
        user=coord, delivery="immediate", emailed_kinds=[k for k in rules if k != "raci_gap"]
    )
    sweep()
    assert "coord@sintjozef.demo" not in sent_to()
    reminder = Reminder.objects.get(recipient=coord)
    assert reminder.status == DeliveryStatus.SKIPPED
    assert reminder.notification.email_state == EmailState.NONE
    assert len(mail.outbox) == 2


def test_the_daily_digest_collects_and_is_sent_once_a_day(demo_cast, sweep, digests):
    coord = user("coord@sintjozef.demo")
    preference_update(user=coord, delivery="digest", emailed_kinds=list(rules))
    sweep()
    assert "coord@sintjozef.demo" not in sent_to()
    assert Reminder.objects.get(recipient=coord).status == DeliveryStatus.DIGEST
    mail.outbox.clear()

    digests()
    assert sent_to() == ["coord@sintjozef.demo"]
    digest = Digest.objects.get(user=coord)
    assert digest.status == DeliveryStatus.SENT and digest.day == today()
    assert (
        mail.outbox[0].extra_headers["Message-ID"] == f"<digest-{coord.pk}-{today():%Y%m%d}@duaal>"
    )
    assert Notification.objects.get(user=coord).email_state == EmailState.DIGESTED
    digests()  # a second run (a second beat) the same day sends nothing
    assert len(mail.outbox) == 1

    # Something new later the same day waits for tomorrow's digest.
    invitation = new_invitation(a2(), inviter=coord, sent=timezone.now() - timedelta(days=8))
    sweep()
    digests()
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        digests()
        assert len(mail.outbox) == 2
        assert invitation.full_name in mail.outbox[1].body
        digests()
    assert len(mail.outbox) == 2
    assert Digest.objects.filter(user=coord).count() == 2


def test_no_digest_for_someone_with_nothing_new(demo_cast, digests):
    preference_update(user=user("tb@sintjozef.demo"), delivery="digest", emailed_kinds=list(rules))
    digests()
    assert mail.outbox == [] and not Digest.objects.exists()


def _failing(monkeypatch, *codes: int) -> list[int]:
    """Make the next sends fail with these SMTP codes (then succeed); returns the call log."""
    calls: list[int] = []
    real_send = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        calls.append(1)
        if len(calls) <= len(codes):
            raise smtplib.SMTPDataError(codes[len(calls) - 1], b"Sink says no")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    return calls


def _only_one_due(demo_cast):
    """Leave only B1's gap due (one recipient: directie@dering.demo)."""
    from partnerships.models import Partnership

    Partnership.objects.filter(pk=a2().pk).update(status="preparation")


def test_temporary_smtp_errors_are_retried_then_the_row_fails(
    demo_cast, sweep, monkeypatch, settings
):
    settings.DUAAL_REMINDER_MAX_ATTEMPTS = 3
    _only_one_due(demo_cast)
    calls = _failing(monkeypatch, 451, 451, 451, 451)
    sweep()
    reminder = Reminder.objects.get()
    assert reminder.status == DeliveryStatus.FAILED
    assert reminder.attempts == 3 == len(calls)
    assert "451" in reminder.last_error and "Sink says no" in reminder.last_error
    assert reminder.notification.email_state == EmailState.FAILED
    assert mail.outbox == []
    assert sweep().claimed == []  # a failed row stays failed


def test_a_temporary_error_then_success_sends_once(demo_cast, sweep, monkeypatch):
    _only_one_due(demo_cast)
    calls = _failing(monkeypatch, 421)
    sweep()
    reminder = Reminder.objects.get()
    assert reminder.status == DeliveryStatus.SENT
    assert (reminder.attempts, len(calls), len(mail.outbox)) == (2, 2, 1)
    assert reminder.last_error == ""


def test_a_permanent_smtp_error_fails_at_once(demo_cast, sweep, monkeypatch):
    _only_one_due(demo_cast)
    calls = _failing(monkeypatch, 554)
    sweep()
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, len(calls)) == (DeliveryStatus.FAILED, 1, 1)
    assert "554" in reminder.last_error


def test_retry_back_off_is_exponential(settings):
    settings.DUAAL_REMINDER_RETRY_SECONDS = 60
    settings.DUAAL_REMINDER_RETRY_MAX_SECONDS = 600
    assert [conf.retry_countdown(n) for n in range(1, 6)] == [60, 120, 240, 480, 600]


def test_a_reminder_whose_subject_resolved_is_cancelled_at_sending(demo_cast):
    invitation = new_invitation(
        a1(), inviter=user("coord@sintjozef.demo"), sent=timezone.now() - timedelta(days=8)
    )
    result = reminders_sweep(dispatch=False)
    row = Reminder.objects.get(rule="invitation_pending")
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert send_reminder.apply(args=[row.pk, str(result.token)]).get() == "cancelled"
    row.refresh_from_db()
    assert row.status == DeliveryStatus.CANCELLED
    assert not Notification.objects.filter(reminder=row).exists()


def test_send_reminders_command_sweeps_and_sends_synchronously(demo_cast):
    out = io.StringIO()
    call_command("send_reminders", "--digests", stdout=out)
    assert "3 sent" in out.getvalue()
    assert "Daily digests: nothing to send." in out.getvalue()
    assert sent_to() == DEMO_RECIPIENTS
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "nothing to send" in out.getvalue()
    assert len(mail.outbox) == 3


def test_a_reminder_that_cannot_be_rendered_fails_once_and_stays_visible(
    demo_cast, sweep, monkeypatch
):
    """A broken rule or template must end the row as failed — not roll back its attempt and
    be claimed again forever."""
    _only_one_due(demo_cast)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("broken template context")

    for rule in rules.values():
        monkeypatch.setattr(rule, "describe", broken)
    sweep()
    reminder = Reminder.objects.get()
    assert reminder.status == DeliveryStatus.FAILED
    assert "ZeroDivisionError" in reminder.last_error
    assert not mail.outbox
    # A second sweep does not pick it up again.
    sweep()
    assert Reminder.objects.get().status == DeliveryStatus.FAILED
    assert not mail.outbox
