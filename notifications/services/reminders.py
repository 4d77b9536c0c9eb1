"""The reminder sweeper and the sending of one reminder.

Exactly once (docs/decisions/0004-reminder-rows.md):

* the rules' answer becomes rows with a unique key; the missing rows are inserted by one
  ``INSERT … SELECT`` over the candidates (sent as one JSON parameter) with ``ON CONFLICT DO
  NOTHING``, so two sweepers insert each row once;
* due rows are claimed in one transaction: rows from earlier sweeps are locked
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (a concurrent sweeper skips them; SQLite has one
  writer, IMMEDIATE transactions) and updated to ``sending`` with the sweep's claim token and a
  lease (one UPDATE); new rows, due by construction, are inserted already ``sending`` under
  that token; the sweep's statements do not grow in number with its rows (issue 13);
* one mail task per claimed row is queued only after the commit (``on_commit``);
* the task sends only while the row is still ``sending`` with its token; a row whose worker
  died stays ``sending`` until its lease runs out, then the next sweep claims it again with a
  new token, and the old task, if it ever runs, finds a foreign token and does nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
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


# Lists travel to the database as one JSON parameter that the database unpacks: one statement
# whatever their length, no bound parameter (nor model instance) per element.
_IDS_SQL = {
    "postgresql": "SELECT e.value::bigint FROM jsonb_array_elements_text(%s::jsonb) AS e(value)",
    "sqlite": "SELECT e.value FROM json_each(%s) AS e",
}
# A candidate is [rule, subject type, subject, recipient, due date, lead, send on, partnership,
# traject]; ``ord`` is its place in the rules' answer.
_CANDIDATES_SQL = {
    "postgresql": (
        "SELECT c.ord, c.v->>0 AS rule, (c.v->>1)::integer AS subject_type_id,"
        " (c.v->>2)::bigint AS subject_id, (c.v->>3)::bigint AS recipient_id,"
        " (c.v->>4)::date AS due_date, (c.v->>5)::integer AS lead_days,"
        " (c.v->>6)::date AS send_on, (c.v->>7)::bigint AS partnership_id,"
        " (c.v->>8)::bigint AS traject_id"
        " FROM jsonb_array_elements(%(candidates)s::jsonb) WITH ORDINALITY AS c(v, ord)"
    ),
    "sqlite": (
        "SELECT c.key AS ord, json_extract(c.value, '$[0]') AS rule,"
        " json_extract(c.value, '$[1]') AS subject_type_id,"
        " json_extract(c.value, '$[2]') AS subject_id,"
        " json_extract(c.value, '$[3]') AS recipient_id,"
        " json_extract(c.value, '$[4]') AS due_date,"
        " json_extract(c.value, '$[5]') AS lead_days,"
        " json_extract(c.value, '$[6]') AS send_on,"
        " json_extract(c.value, '$[7]') AS partnership_id,"
        " json_extract(c.value, '$[8]') AS traject_id"
        " FROM json_each(%(candidates)s) AS c"
    ),
}
# The candidates without a row, numbered by send date (then the rules' order); the first
# ``room`` go in ``sending`` under the sweep's token, the rest ``pending``. ON CONFLICT: a
# concurrent sweeper inserted the key meanwhile (its row, its claim). ``WHERE true``: SQLite's
# parser needs a WHERE before ON CONFLICT in an INSERT … SELECT.
_INSERT_SQL = """
INSERT INTO {table} (
    rule, subject_type_id, subject_id, recipient_id, due_date, lead_days, send_on,
    partnership_id, traject_id, status, claim_token, lease_until, attempts, last_error,
    message_id, created_at, updated_at
)
SELECT
    m.rule, m.subject_type_id, m.subject_id, m.recipient_id, m.due_date, m.lead_days, m.send_on,
    m.partnership_id, m.traject_id,
    CASE WHEN m.n <= %(room)s THEN %(sending)s ELSE %(pending)s END,
    CASE WHEN m.n <= %(room)s THEN %(token)s END,
    CASE WHEN m.n <= %(room)s THEN %(lease_until)s END,
    0, '', '', %(stamp)s, %(stamp)s
FROM (
    SELECT c.*, ROW_NUMBER() OVER (ORDER BY c.send_on, c.ord) AS n
    FROM ({candidates}) AS c
    WHERE NOT EXISTS (
        SELECT 1 FROM {table} AS r
        WHERE r.rule = c.rule AND r.subject_type_id = c.subject_type_id
            AND r.subject_id = c.subject_id AND r.recipient_id = c.recipient_id
            AND r.due_date = c.due_date AND r.lead_days = c.lead_days
    )
) AS m
WHERE true
ORDER BY m.n
ON CONFLICT DO NOTHING
"""


def _ids(ids: list[int]) -> RawSQL:
    """``ids`` as a subquery for ``pk__in``, in one parameter (constant SQL: no injection)."""
    return RawSQL(_IDS_SQL[connection.vendor], [json.dumps(ids)])  # noqa: S611


def _claim_existing(
    result: SweepResult, *, candidates: dict[Key, Candidate], now: datetime, limit: int
) -> int:
    """Claim rows inserted earlier: pending and due (beyond an earlier sweep's batch), or
    ``sending`` past their lease (their worker died). Pending rows the rules no longer ask
    for (a mentor was found meanwhile) are cancelled instead.

    One locking SELECT and at most two UPDATEs, whatever the number of rows."""
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
    if cancel:
        Reminder.objects.filter(pk__in=_ids(cancel)).update(
            status=DeliveryStatus.CANCELLED, updated_at=now
        )
    result.cancelled = len(cancel)
    if claim:
        Reminder.objects.filter(pk__in=_ids(claim)).update(
            status=DeliveryStatus.SENDING,
            claim_token=result.token,
            lease_until=now + conf.lease(),
            updated_at=now,
        )
    return len(claim)


def _insert_missing(
    result: SweepResult, *, candidates: dict[Key, Candidate], now: datetime, room: int
) -> None:
    """Insert the rows the rules ask for that do not exist yet, in one statement.

    They are due by construction (a rule asks for a reminder only once its lead has passed),
    so the first ``room`` of them (by send date) are inserted already claimed by this sweep;
    the rest wait as ``pending`` for the next sweep. A concurrent sweeper inserting the same
    keys is harmless: the unique key keeps one row, claimed by whichever insert came first.
    The database finds the missing keys (the unique key's index), so no earlier row is read.
    """
    if not candidates:
        return
    rows = [
        [
            c.rule,
            c.subject_type_id,
            c.subject_id,
            c.recipient_id,
            c.due_date.isoformat(),
            c.lead_days,
            c.send_on.isoformat(),
            c.partnership_id,
            c.traject_id,
        ]
        for c in candidates.values()
    ]
    ops = connection.ops
    sql = _INSERT_SQL.format(
        candidates=_CANDIDATES_SQL[connection.vendor],
        table=ops.quote_name(Reminder._meta.db_table),
    )
    params = {
        "candidates": json.dumps(rows, separators=(",", ":")),
        "room": max(room, 0),
        "sending": DeliveryStatus.SENDING.value,
        "pending": DeliveryStatus.PENDING.value,
        "token": Reminder._meta.get_field("claim_token").get_db_prep_value(
            result.token, connection
        ),
        "lease_until": ops.adapt_datetimefield_value(now + conf.lease()),
        "stamp": ops.adapt_datetimefield_value(timezone.now()),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        result.created = cursor.rowcount


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
