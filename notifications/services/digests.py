"""The daily digest: one mail a day per person who chose it, with what came in since the last.

A digest is a row with a unique (user, day): running the job twice, or from two beats, finds
the day's row and sends nothing more. Rows are claimed and sent exactly like reminders.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from notifications import conf
from notifications.models import DeliveryStatus, Digest, EmailState, Notification
from notifications.services.mail import (
    MailError,
    absolute,
    preferences_url,
    render_trio,
    send_email,
)
from notifications.services.reminders import after_mail_error, lock_due, locked_claim


@dataclass
class DigestSweepResult:
    attached: int = 0
    claimed: list[int] = field(default_factory=list)
    token: uuid.UUID | None = None


def enqueue_digests(digest_ids: list[int], token: uuid.UUID) -> None:
    from notifications.tasks import send_digest

    for pk in digest_ids:
        send_digest.apply_async(args=[pk, str(token)], queue="mail")


def digests_sweep(
    *, now: datetime | None = None, dispatch: bool = True, stale_only: bool = False
) -> DigestSweepResult:
    """Open today's digest for everyone with waiting notifications, attach them, claim, queue.

    ``stale_only`` only takes back digests whose worker died (the reminder sweeper does that
    every few minutes; the daily job does the rest).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = DigestSweepResult()
    with transaction.atomic():
        if not stale_only:
            waiting = Notification.objects.filter(
                email_state=EmailState.DIGEST, digest__isnull=True
            )
            user_ids = list(waiting.order_by().values_list("user_id", flat=True).distinct())
            Digest.objects.bulk_create(
                [Digest(user_id=user_id, day=today) for user_id in user_ids],
                ignore_conflicts=True,
            )
            # Today's digest takes what waits, unless it has gone out already: then tomorrow's.
            open_digest = Digest.objects.filter(
                user_id=OuterRef("user_id"), day=today, status=DeliveryStatus.PENDING
            )
            result.attached = waiting.filter(Exists(open_digest)).update(
                digest=Subquery(open_digest.values("pk")[:1])
            )
        due = Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
        if not stale_only:
            due |= Q(status=DeliveryStatus.PENDING, day__lte=today)
        ids = list(
            lock_due(Digest.objects.filter(due).order_by("day", "pk")).values_list("pk", flat=True)
        )
        if ids:
            token = uuid.uuid4()
            Digest.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SENDING, claim_token=token, lease_until=now + conf.lease()
            )
            result.claimed, result.token = ids, token
            if dispatch:
                transaction.on_commit(lambda: enqueue_digests(ids, token))
    return result


def digest_deliver(*, digest_id: int, claim_token: str) -> str:
    """Send one claimed digest; outcomes as ``reminder_deliver`` (``cancelled`` when empty)."""
    now = timezone.now()
    with transaction.atomic():
        digest = locked_claim(
            Digest.objects.select_related("user"), pk=digest_id, token=claim_token
        )
        if digest is None:
            return "stale"
        user = digest.user
        items = list(digest.notifications.order_by("created_at", "pk"))
        if not items or not (user.is_active and user.email):
            Digest.objects.filter(pk=digest.pk).update(
                status=DeliveryStatus.CANCELLED, lease_until=None
            )
            return "cancelled"
        if digest.attempts >= conf.max_attempts():
            Digest.objects.filter(pk=digest.pk).update(
                status=DeliveryStatus.FAILED, lease_until=None
            )
            return "failed"
        digest.attempts += 1
        digest.lease_until = now + conf.lease()
        digest.save(update_fields=["attempts", "lease_until"])
    context = {
        "recipient": user,
        "day": digest.day,
        "items": [{"notification": n, "link": absolute(n.url) if n.url else ""} for n in items],
        "list_link": absolute(reverse("notifications:notification_list")),
        "preferences_link": preferences_url(),
    }
    with translation.override(user.language):
        subject, text, html = render_trio(
            "emails/notifications/digest", context, language=user.language
        )
    try:
        send_email(
            to=user.email,
            subject=subject,
            text=text,
            html=html,
            message_id=digest.message_id_header,
        )
    except MailError as error:
        return after_mail_error(
            Digest, digest, error, notifications=Notification.objects.filter(digest=digest)
        )
    Digest.objects.filter(
        pk=digest.pk, claim_token=digest.claim_token, status=DeliveryStatus.SENDING
    ).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        message_id=digest.message_id_header,
        last_error="",
        lease_until=None,
    )
    Notification.objects.filter(digest=digest).update(email_state=EmailState.DIGESTED)
    return "sent"
