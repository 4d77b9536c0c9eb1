from django.db import migrations


def load(apps, schema_editor):
    from learning.reference import ensure_opleidingen

    ensure_opleidingen(apps.get_model("learning", "Opleiding"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
