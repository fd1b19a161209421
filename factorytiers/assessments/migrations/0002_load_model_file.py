from django.db import migrations

from factorytiers.assessments.loaders import load_model_file


def forwards(apps, schema_editor):
    # The project's model file (GB/T 39116-2020 structure) is the first, active edition.
    load_model_file(apps.get_model("assessments", "MaturityModelEdition"), activate=True)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
