from django.db import migrations

# Frozen at this migration: the reference data as the schema of 0001 holds it (with a contract
# type per opleiding, dropped by 0003). Today's data lives in learning.reference.
OPLEIDINGEN = [
    ("elektromechanische-technieken", "Elektromechanische technieken duaal", "3de graad TSO", 10, "SOAO", "EMd"),  # noqa: E501
    ("onderhoudsmechanica", "Onderhoudsmechanica duaal", "3de graad (D)BSO / leertijd", 20, "OAO", "EMd"),  # noqa: E501
    ("lassen-constructie", "Lassen-Constructie duaal", "3de graad (D)BSO / leertijd", 20, "OAO", "LASd"),  # noqa: E501
    ("lasser-monteerder", "Lasser-Monteerder duaal", "7de jaar BSO", 20, "OAO", "LASd"),
    ("mechanische-vormgevingstechnieken", "Mechanische vormgevingstechnieken duaal", "3de graad TSO", 14, "SOAO", "MV(T)d"),  # noqa: E501
    ("mechanische-vormgeving", "Mechanische vormgeving duaal", "3de graad BSO", 20, "OAO", "MV(T)d"),  # noqa: E501
]


def load(apps, schema_editor):
    opleiding_model = apps.get_model("learning", "Opleiding")
    for code, name, level, hours, contract, network in OPLEIDINGEN:
        opleiding_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "workplace_hours_per_week": hours,
                "contract_type": contract,
                "learning_network": network,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
