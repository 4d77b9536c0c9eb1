"""The reminder sweeper and the sending of one reminder.

Exactly once (docs/decisions/0004-reminder-rows.md):

* the rules' answer becomes rows with a unique key; missing rows are inserted with
  ``bulk_create(ignore_conflicts=True)``, so two sweepers insert each row once;
* due rows are claimed in one transaction: rows from earlier sweeps are locked
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (a concurrent sweeper skips them; SQLite has one
  writer, IMMEDIATE transactions) and updated to ``sending`` with the sweep's claim token and a
  lease; new rows, due by construction, are inserted already ``sending`` under that token;
* one mail task per claimed row is queued only after the commit (``on_commit``);
* the task sends only while the row is still ``sending`` with its token; a row whose worker
  died stays ``sending`` until its lease runs out, then the next sweep claims it again with a
  new token, and the old task, if it ever runs, finds a foreign token and does nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from accounts.models import User
from notifications import conf
from notifications.models import (
    Delivery,
    DeliveryStatus,
    Digest,
    EmailState,
    Notification,
    Reminder,
)
from notifications.registry import Candidate, Key, ReminderRule, rules
from notifications.selectors import preference_for
from notifications.services.mail import (
    MailError,
    absolute,
    preferences_url,
    render_trio,
    send_email,
)

logger = logging.getLogger(__name__)

KEY_FIELDS = ("rule", "subject_type_id", "subject_id", "recipient_id", "due_date", "lead_days")
CHUNK = 2000


class RetryLater(Exception):
    """A temporary mail error: try again after ``countdown`` seconds (the row stays claimed)."""

    def __init__(self, error: str, *, countdown: float) -> None:
        super().__init__(error)
        self.countdown = countdown


@dataclass
class SweepResult:
    candidates: int = 0
    created: int = 0
    cancelled: int = 0
    reclaimed: int = 0
    claimed: list[int] = field(default_factory=list)
    token: uuid.UUID | None = None


def _chunks(items: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def reminders_evaluate(
    *, now: datetime, only: Iterable[ReminderRule] | None = None
) -> dict[Key, Candidate]:
    """Every reminder the registered rules (or ``only`` these) ask for at ``now``, by key."""
    found: dict[Key, Candidate] = {}
    for rule in only if only is not None else rules.values():
        for candidate in rule.evaluate(now=now):
            found.setdefault(candidate.key, candidate)
    return found


def lock_due(queryset: QuerySet) -> QuerySet:
    """Lock the selected rows and skip those another transaction holds (PostgreSQL).

    SQLite has no row locks; there the IMMEDIATE transaction already admits one writer.
    """
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _claim_existing(
    result: SweepResult, *, candidates: dict[Key, Candidate], now: datetime, limit: int
) -> int:
    """Claim rows inserted earlier: pending and due (beyond an earlier sweep's batch), or
    ``sending`` past their lease (their worker died). Pending rows the rules no longer ask
    for (a mentor was found meanwhile) are cancelled instead."""
    today = timezone.localdate(now)
    due = Q(status=DeliveryStatus.PENDING, send_on__lte=today) | Q(
        status=DeliveryStatus.SENDING, lease_until__lt=now
    )
    rows = lock_due(Reminder.objects.filter(due).order_by("send_on", "pk"))
    cancel: list[int] = []
    claim: list[int] = []
    for pk, status, *key in rows.values_list("pk", "status", *KEY_FIELDS)[:limit]:
        if status == DeliveryStatus.PENDING and tuple(key) not in candidates:
            cancel.append(pk)
        else:
            claim.append(pk)
            result.reclaimed += status == DeliveryStatus.SENDING
    for chunk in _chunks(cancel):
        Reminder.objects.filter(pk__in=chunk).update(
            status=DeliveryStatus.CANCELLED, updated_at=now
        )
    result.cancelled = len(cancel)
    for chunk in _chunks(claim):
        Reminder.objects.filter(pk__in=chunk).update(
            status=DeliveryStatus.SENDING,
            claim_token=result.token,
            lease_until=now + conf.lease(),
            updated_at=now,
        )
    return len(claim)


def _insert_missing(
    result: SweepResult, *, candidates: dict[Key, Candidate], now: datetime, room: int
) -> None:
    """Insert the rows the rules ask for that do not exist yet.

    They are due by construction (a rule asks for a reminder only once its lead has passed),
    so the first ``room`` of them are inserted already claimed by this sweep; the rest wait
    as ``pending`` for the next sweep. A concurrent sweeper inserting the same keys is
    harmless: the unique key keeps one row, claimed by whichever insert came first.
    """
    if not candidates:
        return
    values = candidates.values()
    existing = set(
        Reminder.objects.filter(
            rule__in={c.rule for c in values},
            due_date__gte=min(c.due_date for c in values),
            due_date__lte=max(c.due_date for c in values),
        ).values_list(*KEY_FIELDS)
    )
    missing = sorted(
        (c for key, c in candidates.items() if key not in existing), key=lambda c: c.send_on
    )
    lease_until = now + conf.lease()
    rows = []
    for index, c in enumerate(missing):
        claimed = index < room
        rows.append(
            Reminder(
                rule=c.rule,
                subject_type_id=c.subject_type_id,
                subject_id=c.subject_id,
                recipient_id=c.recipient_id,
                due_date=c.due_date,
                lead_days=c.lead_days,
                send_on=c.send_on,
                partnership_id=c.partnership_id,
                traject_id=c.traject_id,
                status=DeliveryStatus.SENDING if claimed else DeliveryStatus.PENDING,
                claim_token=result.token if claimed else None,
                lease_until=lease_until if claimed else None,
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    result.created = len(rows)


def enqueue_reminders(reminder_ids: list[int], token: uuid.UUID) -> None:
    """Queue one mail task per claimed row (called after the claiming transaction commits)."""
    from notifications.tasks import send_reminder

    for pk in reminder_ids:
        send_reminder.apply_async(args=[pk, str(token)], queue="mail")


def reminders_sweep(
    *, now: datetime | None = None, dispatch: bool = True, limit: int | None = None
) -> SweepResult:
    """Evaluate every rule, insert the missing rows, claim the due ones and queue their mails.

    ``dispatch=False`` claims without queueing (the caller sends, e.g. ``send_reminders``).
    Rows due but no longer asked for by their rule are cancelled. Safe to run concurrently.
    """
    now = now or timezone.now()
    limit = limit or conf.claim_batch()
    candidates = reminders_evaluate(now=now)
    result = SweepResult(candidates=len(candidates), token=uuid.uuid4())
    with transaction.atomic():
        taken = _claim_existing(result, candidates=candidates, now=now, limit=limit)
        _insert_missing(result, candidates=candidates, now=now, room=limit - taken)
        result.claimed = list(
            Reminder.objects.filter(status=DeliveryStatus.SENDING, claim_token=result.token)
            .order_by("send_on", "pk")
            .values_list("pk", flat=True)
        )
        if dispatch and result.claimed:
            ids, token = list(result.claimed), result.token
            assert token is not None
            transaction.on_commit(lambda: enqueue_reminders(ids, token))
    return result


# --- Sending one row --------------------------------------------------------------------------


def locked_claim(queryset: QuerySet, *, pk: int, token: str) -> Any:
    """The row, locked, if it is still ``sending`` under ``token``; else None (someone else's)."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None or row.status != DeliveryStatus.SENDING or str(row.claim_token) != str(token):
        return None
    return row


def _close(reminder: Reminder, status: str, now: datetime, error: str = "") -> None:
    Reminder.objects.filter(pk=reminder.pk).update(
        status=status, lease_until=None, last_error=error, updated_at=now
    )


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    path: str
    description: str


def render_reminder(reminder: Reminder, rule: ReminderRule, subject: object) -> Rendered:
    """The mail (subject, text, html) and the in-app line, in the recipient's language."""
    recipient = reminder.recipient
    language = recipient.language
    with translation.override(language):
        path = rule.link(subject, partnership=reminder.partnership)
        description = str(rule.describe(subject))
        context = {
            "recipient": recipient,
            "reminder": reminder,
            "subject": subject,
            "description": description,
            "due_date": reminder.due_date,
            "lead_days": reminder.lead_days,
            "link": absolute(path),
            "preferences_link": preferences_url(),
            **rule.context(subject, reminder=reminder),
        }
    mail_subject, text, html = render_trio(
        f"emails/notifications/{rule.code}", context, language=language
    )
    return Rendered(mail_subject, text, html, path, description)


def _notification_for(reminder: Reminder, rendered: Rendered) -> Notification:
    notification, _ = Notification.objects.get_or_create(
        reminder=reminder,
        defaults={
            "user_id": reminder.recipient_id,
            "kind": reminder.rule,
            "title": rendered.subject[:300],
            "body": rendered.description,
            "url": rendered.path[:500],
        },
    )
    return notification


def after_mail_error(
    model: type[Reminder] | type[Digest], row: Any, error: MailError, *, notifications: QuerySet
) -> str:
    """Record the error; 'failed' when permanent or out of attempts, else ``RetryLater``."""
    now = timezone.now()
    claimed = model.objects.filter(
        pk=row.pk, claim_token=row.claim_token, status=DeliveryStatus.SENDING
    )
    if error.permanent or row.attempts >= conf.max_attempts():
        claimed.update(status=DeliveryStatus.FAILED, last_error=str(error), lease_until=None)
        notifications.update(email_state=EmailState.FAILED)
        return "failed"
    countdown = conf.retry_countdown(row.attempts)
    # Keep the claim through the back-off, so no sweep takes the row meanwhile.
    claimed.update(
        last_error=str(error), lease_until=now + timedelta(seconds=countdown) + conf.lease()
    )
    raise RetryLater(str(error), countdown=countdown)


def _prepare(reminder: Reminder, now: datetime) -> str | tuple[User, Rendered, Notification]:
    """Check the rule, render the mail and the in-app notification; or close the row.

    Returns an outcome string when the row is closed here, else (recipient, rendered,
    notification) for sending.
    """
    rule = rules.get(reminder.rule)
    subject = rule.subject_queryset().filter(pk=reminder.subject_id).first() if rule else None
    if rule is None or subject is None or not rule.applies(reminder, now=now):
        _close(reminder, DeliveryStatus.CANCELLED, now)
        return "cancelled"
    recipient = reminder.recipient
    preference = preference_for(user=recipient)
    rendered = render_reminder(reminder, rule, subject)
    notification = _notification_for(reminder, rendered)
    if not (recipient.is_active and recipient.email) or rule.code in preference.muted_kinds:
        _close(reminder, DeliveryStatus.SKIPPED, now)
        return "skipped"
    if preference.delivery == Delivery.DIGEST:
        Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.DIGEST)
        _close(reminder, DeliveryStatus.DIGEST, now)
        return "digest"
    return recipient, rendered, notification


def reminder_deliver(*, reminder_id: int, claim_token: str) -> str:
    """Send one claimed reminder and create its in-app notification.

    Returns the outcome: ``sent``; ``digest`` (kept for the recipient's daily digest);
    ``skipped`` (opted out of this kind, or no address: in-app only); ``cancelled`` (the rule
    no longer asks for it); ``stale`` (not ours to send: another claim or already done);
    ``failed`` (permanent error or out of attempts). Raises ``RetryLater`` on a temporary error.
    """
    now = timezone.now()
    with transaction.atomic():
        reminder = locked_claim(
            Reminder.objects.select_related("recipient", "partnership"),
            pk=reminder_id,
            token=claim_token,
        )
        if reminder is None:
            return "stale"
        try:
            # A savepoint: a broken rule or template ends this row as failed (visible to the
            # coordinator) instead of rolling back its attempt count and looping forever.
            with transaction.atomic():
                prepared = _prepare(reminder, now)
        except Exception as exc:
            logger.exception("Reminder %s could not be prepared", reminder.pk)
            _close(reminder, DeliveryStatus.FAILED, now, f"{type(exc).__name__}: {exc}"[:500])
            return "failed"
        if isinstance(prepared, str):
            return prepared
        recipient, rendered, notification = prepared
        if reminder.attempts >= conf.max_attempts():
            _close(reminder, DeliveryStatus.FAILED, now, reminder.last_error or "attempts used up")
            Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.FAILED)
            return "failed"
        reminder.attempts += 1
        reminder.lease_until = now + conf.lease()
        reminder.save(update_fields=["attempts", "lease_until", "updated_at"])
    try:
        send_email(
            to=recipient.email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            message_id=reminder.message_id_header,
        )
    except MailError as error:
        return after_mail_error(
            Reminder,
            reminder,
            error,
            notifications=Notification.objects.filter(reminder=reminder),
        )
    Reminder.objects.filter(
        pk=reminder.pk, claim_token=reminder.claim_token, status=DeliveryStatus.SENDING
    ).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        message_id=reminder.message_id_header,
        last_error="",
        lease_until=None,
        updated_at=timezone.now(),
    )
    Notification.objects.filter(reminder=reminder).update(email_state=EmailState.SENT)
    return "sent"
