from django.db import migrations

from factorytiers.campaigns.loaders import load_all


def forwards(apps, schema_editor):
    load_all(lambda name: apps.get_model("campaigns", name), apps.get_model("reference", "Region"))


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
