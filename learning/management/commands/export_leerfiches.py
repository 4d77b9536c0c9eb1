"""``python manage.py export_leerfiches VERSION_ID``: one set version as JSON on stdout."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning import interchange
from learning.models import SetVersion


class Command(BaseCommand):
    help = "Write a leerfiche set version as JSON (learning/interchange.py) to stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version", help="Public id of the set version.")

    def handle(self, *args: Any, version: str, **options: Any) -> None:
        try:
            row = SetVersion.objects.get(public_id=uuid.UUID(version))
        except (ValueError, SetVersion.DoesNotExist) as error:
            raise CommandError(f"No set version has the public id {version!r}.") from error
        self.stdout.write(interchange.dumps(row), ending="")
