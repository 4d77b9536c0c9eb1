"""``python manage.py import_leerfiches FILE --owner ORG [--publish]``: a set version from JSON.

Without ``--into`` the file becomes a new set of the owner; with ``--into <set public id>``
the next version (a draft) of that set. ``--publish`` publishes it right away. Nothing is
saved when the file has a problem: every problem is printed and the command fails.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from duaal import audit
from learning import interchange
from learning.models import LeerficheSet
from learning.services import versions
from organisations.models import Organisation


def _organisation(value: str) -> Organisation:
    try:
        return Organisation.objects.get(public_id=uuid.UUID(value))
    except (ValueError, Organisation.DoesNotExist):
        pass
    try:
        return Organisation.objects.get(name=value)
    except Organisation.DoesNotExist as error:
        raise CommandError(f"No organisation is named {value!r} or has that public id.") from error


class Command(BaseCommand):
    help = "Import a leerfiche set version from a JSON file (learning/interchange.py)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The JSON file ('-' is not supported).")
        parser.add_argument(
            "--owner", required=True, help="Name or public id of the owning organisation."
        )
        parser.add_argument(
            "--into", help="Public id of an existing set of the owner: import its next version."
        )
        parser.add_argument("--publish", action="store_true", help="Publish the imported version.")

    @audit.system_context("command import_leerfiches")
    def handle(self, *args: Any, file: Path, owner: str, **options: Any) -> None:
        organisation = _organisation(owner)
        into = None
        if options.get("into"):
            try:
                into = LeerficheSet.objects.get(
                    public_id=uuid.UUID(options["into"]), owner=organisation
                )
            except (ValueError, LeerficheSet.DoesNotExist) as error:
                raise CommandError(
                    f"{organisation} has no set with id {options['into']}."
                ) from error
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            with transaction.atomic():
                data = interchange.parse(raw)
                version = interchange.import_version(data, owner=organisation, into=into)
                if options["publish"]:
                    version = versions.publish(version=version, change_note=version.change_note)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{file}: nothing was imported.") from error
        state = "published" if version.is_published else "draft"
        self.stdout.write(
            self.style.SUCCESS(
                f"{version.leerfiche_set.name} version {version.number} ({state}): "
                f"{version.leerfiches.count()} leerfiches. Public id: {version.public_id}"
            )
        )
