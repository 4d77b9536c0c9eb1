"""``python manage.py send_reminders``: one reminder sweep, sent synchronously in this process."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notifications.services.digests import digests_sweep
from notifications.services.reminders import reminders_sweep


class Command(BaseCommand):
    help = (
        "Evaluate the reminder rules, claim what is due and send it now, in this process "
        "(no worker needed). Safe to run next to the beat: a row is claimed only once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--digests", action="store_true", help="Also send today's daily digests."
        )

    def handle(self, *args: Any, digests: bool = False, **options: Any) -> None:
        from notifications.tasks import send_digest, send_reminder

        result = reminders_sweep(dispatch=False)
        outcomes: Counter[str] = Counter()
        for pk in result.claimed:
            # apply(): run the task here, retries included (without their back-off).
            outcomes[send_reminder.apply(args=[pk, str(result.token)]).get()] += 1
        self.stdout.write(
            f"Rules asked for {result.candidates} reminder(s); {result.created} new, "
            f"{len(result.claimed)} due now ({result.reclaimed} taken over from a stopped "
            f"worker), {result.cancelled} no longer needed."
        )
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Reminders: {summary or 'nothing to send'}.")
        if digests:
            digest_result = digests_sweep(dispatch=False)
            sent: Counter[str] = Counter(
                send_digest.apply(args=[pk, str(digest_result.token)]).get()
                for pk in digest_result.claimed
            )
            summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(sent.items()))
            self.stdout.write(f"Daily digests: {summary or 'nothing to send'}.")
        if outcomes.get("failed"):
            self.stderr.write(
                self.style.WARNING(
                    f"{outcomes['failed']} reminder(s) failed: see /notifications/reminders/."
                )
            )
