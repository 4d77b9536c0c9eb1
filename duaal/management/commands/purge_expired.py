"""``python manage.py purge_expired [--apply]``: anonymise or delete what passed its retention.

A dry run by default: it lists, per kind of data (docs/privacy.md), how many rows are past
their period. ``--apply`` does it (anonymising student files as an erasure does, deleting
reminders, PDFs, class lists, invitations, feeds, login records and old audit entries); the
nightly Celery beat job (``duaal.purge_expired``) runs it with ``--apply``. Periods:
``duaal.privacy.RETENTION_DAYS``, overridden by the setting ``DUAAL_RETENTION_DAYS``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from duaal import audit, privacy


class Command(BaseCommand):
    help = "List (or with --apply, anonymise and delete) personal data past its retention."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Do it (default: only show what is due)."
        )

    @audit.system_context("command purge_expired")
    def handle(self, *args: Any, apply: bool, **options: Any) -> None:
        with transaction.atomic():
            found = privacy.purge(timezone.now(), apply=apply)
        verb = "purged" if apply else "due (dry run: nothing changed; --apply to purge)"
        for kind, count in found.items():
            self.stdout.write(f"{kind:<20}{count:>8}  {verb}")
