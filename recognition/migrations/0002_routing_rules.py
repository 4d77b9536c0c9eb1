"""The routing table's seed rows (DOMAIN.md "Recognition"): the sector partnership of the
technology industry handles PC 105, 111, 209, 219 and 224; the Vlaams Partnerschap Duaal
Leren every other joint committee (the row with an empty PC). Editable in the admin."""

from django.db import migrations

TECHNOLOGY = "Sectoraal Partnerschap Technologische Industrie"
DEFAULT = "Vlaams Partnerschap Duaal Leren"
TECHNOLOGY_PCS = ("105", "111", "209", "219", "224")


def seed(apps, schema_editor):
    RoutingRule = apps.get_model("recognition", "RoutingRule")
    for pc in TECHNOLOGY_PCS:
        RoutingRule.objects.get_or_create(paritair_comite=pc, defaults={"body_name": TECHNOLOGY})
    RoutingRule.objects.get_or_create(paritair_comite="", defaults={"body_name": DEFAULT})


def unseed(apps, schema_editor):
    RoutingRule = apps.get_model("recognition", "RoutingRule")
    RoutingRule.objects.filter(paritair_comite__in=[*TECHNOLOGY_PCS, ""]).delete()


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
