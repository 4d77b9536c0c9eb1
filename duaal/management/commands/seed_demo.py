from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import User
from duaal import demo
from partnerships.models import Organisation
from partnerships.services import membership_ensure


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo cast. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="Password of every demo account (default: %(default)s).",
        )

    @transaction.atomic
    def handle(self, *args: Any, password: str, **options: Any) -> None:
        organisations: dict[str, Organisation] = {}
        for spec in demo.ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                name=spec.name,
                kind=spec.kind,
                defaults={
                    "instellingsnummer": spec.instellingsnummer,
                    "ondernemingsnummer": spec.ondernemingsnummer,
                    "paritair_comite": spec.paritair_comite,
                    "email_domain": spec.domain,
                },
            )
            organisations[spec.key] = organisation

        # One hash for all: the same password, and a fast seed.
        password_hash = make_password(password)
        for person in demo.PEOPLE:
            user = User.objects.filter(email__iexact=person.email).first()
            if user is None:
                user = User(email=person.email)
            user.full_name = person.full_name
            user.password = password_hash
            user.is_active = True
            user.save()
            if person.organisation:
                membership_ensure(
                    user=user,
                    organisation=organisations[person.organisation],
                    is_admin=person.is_admin,
                    job_title=person.job_title,
                )

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo cast ready: {len(demo.ORGANISATIONS)} organisations, {len(demo.PEOPLE)} people."
            )
        )
        self.stdout.write(
            f"Log in at /accounts/login/ with any of these e-mail addresses and password {password!r}:"
        )
        for person in demo.PEOPLE:
            self.stdout.write(f"  {person.email:<30} {person.role}")
