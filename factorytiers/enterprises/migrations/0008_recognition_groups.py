import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# Each tier recognition carries its enterprise's statistics group (unit, sector, 大类), so the
# tier figures count recognitions without joining every factory and enterprise.


def copy_groups(apps, schema_editor):
    Factory = apps.get_model("enterprises", "Factory")
    TierRecognition = apps.get_model("enterprises", "TierRecognition")
    owner = Factory.objects.filter(pk=OuterRef("factory_id"))
    TierRecognition.objects.update(
        group_unit_id=Subquery(owner.values("enterprise__unit_id")[:1]),
        group_sector=Subquery(owner.values("enterprise__sector")[:1]),
        group_division_id=Subquery(owner.values("enterprise__industry__parent__parent_id")[:1]),
    )


def _group_fields(null: bool):
    return [
        (
            "group_unit",
            models.ForeignKey(
                blank=True,
                editable=False,
                null=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.region",
            ),
        ),
        ("group_sector", models.CharField(blank=True, editable=False, max_length=8, null=null)),
        (
            "group_division",
            models.ForeignKey(
                blank=True,
                editable=False,
                null=null,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.industrycode",
            ),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_name_bigram_index"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [
        *(
            migrations.AddField(model_name="tierrecognition", name=name, field=field)
            for name, field in _group_fields(null=True)
        ),
        migrations.RunPython(copy_groups, migrations.RunPython.noop, elidable=False),
        *(
            migrations.AlterField(model_name="tierrecognition", name=name, field=field)
            for name, field in _group_fields(null=False)
        ),
    ]
