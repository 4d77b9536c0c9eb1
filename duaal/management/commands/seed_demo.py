"""``python manage.py seed_demo``: run every app's demo contribution (``duaal.demo``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from duaal import audit, demo


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo cast. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="Password of every demo account (default: %(default)s).",
        )
        parser.add_argument(
            "--no-reminder-cases",
            action="store_true",
            help=(
                "Leave out the extras beyond the cast, such as the tenant whose deadlines are "
                "due (for tests of the cast alone)."
            ),
        )

    @transaction.atomic
    @audit.system_context("command seed_demo")
    def handle(
        self, *args: Any, password: str, no_reminder_cases: bool = False, **options: Any
    ) -> None:
        reports = []
        for contribution in demo.ordered(include_extra=not no_reminder_cases):
            report = contribution.run(password=password)
            if report is not None:
                reports.append(report)

        for report in reports:
            if report.summary:
                self.stdout.write(self.style.SUCCESS(report.summary))
        accounts = [account for report in reports for account in report.accounts]
        if accounts:
            self.stdout.write(
                "Log in at /accounts/login/ with any of these e-mail addresses "
                f"and password {password!r}:"
            )
            for email, who in accounts:
                self.stdout.write(f"  {email:<30} {who}")
