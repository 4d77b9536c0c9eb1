"""Every contract gets the rows of its start checklist, so reading a checklist never writes.

Contracts drawn up since 0004 get them when saved (``contracts.checklist_receivers``); the
contracts older than the checklist (the taken-over ones of 0002, the first drafts) got them on
the first view of their checklist until now. This migration makes them once, with the
checklist's own rules (``contracts.checklist.sync_checklist``): the historical models only
tell whether there is anything to do — on a new database there is not, and the current code
is never touched. (When the migrations are squashed, this one can go.)
"""

from django.db import migrations


def make_missing_checklists(apps, schema_editor):
    HistoricalContract = apps.get_model("contracts", "Contract")
    missing = list(
        HistoricalContract.objects.filter(checklist_items__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not missing:
        return
    from contracts.checklist import sync_checklist
    from contracts.models import Contract

    for contract in Contract.objects.filter(pk__in=missing).select_related(
        "traject__student", "traject__partnership"
    ):
        sync_checklist(contract)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_start_checklist")]

    operations = [migrations.RunPython(make_missing_checklists, migrations.RunPython.noop)]
