from django.db import migrations

from factorytiers.reference.loaders import load_all


def forwards(apps, schema_editor):
    load_all(lambda name: apps.get_model("reference", name))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
