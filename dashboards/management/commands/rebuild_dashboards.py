"""``manage.py rebuild_dashboards``: recompute the dashboards' summaries from the domain's rows
(after a deploy that adds a summary, a bulk load such as ``generate_dataset``, or rows changed
behind the services' back). Safe to run at any time; one traject at a time in its own
transaction, so the dashboards stay readable meanwhile."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from dashboards.summaries import rebuild
from partnerships.models import Traject

BATCH = 200


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables from the evaluations and contracts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partnership", help="Only the trajects of this partnership (its public id)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trajects = Traject.objects.order_by("pk")
        if options.get("partnership"):
            trajects = trajects.filter(partnership__public_id=options["partnership"])
        ids = list(trajects.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                rebuild(ids[start : start + BATCH])
        self.stdout.write(f"Rebuilt the summaries of {len(ids)} trajects.")
