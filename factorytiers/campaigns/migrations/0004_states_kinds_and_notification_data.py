# Notifications become data (a kind and its facts), written in the reader's language when shown;
# application states and kinds get their choices.

from django.db import migrations, models


def text_to_params(apps, schema_editor):
    # Notifications sent before this change keep their text as it was written.
    Notification = apps.get_model("campaigns", "Notification")
    for notification in Notification.objects.all().iterator():
        notification.kind = "text"
        notification.params = {"text": notification.text}
        notification.save(update_fields=["kind", "params"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_campaign_notes_and_maturity_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(default="text", max_length=32, verbose_name="类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="内容"),
        ),
        migrations.RunPython(text_to_params, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="notification",
            name="text",
        ),
        migrations.AlterField(
            model_name="application",
            name="kind",
            field=models.CharField(
                choices=[
                    ("基础级", "基础级"),
                    ("先进级", "先进级"),
                    ("卓越级", "卓越级"),
                    ("领航级", "领航级"),
                    ("揭榜验收", "揭榜验收"),
                ],
                max_length=8,
                verbose_name="申报类别",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "待市级审核"),
                    ("returned", "已退回修改"),
                    ("rejected", "市级审核未通过"),
                    ("recommended", "市级拟推荐"),
                    ("at_province", "已报送省级"),
                    ("under_review", "专家评审中"),
                    ("listed", "拟认定"),
                    ("not_selected", "未入选"),
                    ("publicity", "公示中"),
                    ("province_recommended", "已推荐至部级"),
                    ("recognized", "已认定"),
                ],
                default="draft",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="transition",
            name="from_state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "待市级审核"),
                    ("returned", "已退回修改"),
                    ("rejected", "市级审核未通过"),
                    ("recommended", "市级拟推荐"),
                    ("at_province", "已报送省级"),
                    ("under_review", "专家评审中"),
                    ("listed", "拟认定"),
                    ("not_selected", "未入选"),
                    ("publicity", "公示中"),
                    ("province_recommended", "已推荐至部级"),
                    ("recognized", "已认定"),
                ],
                max_length=20,
                verbose_name="原状态",
            ),
        ),
        migrations.AlterField(
            model_name="transition",
            name="to_state",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "待市级审核"),
                    ("returned", "已退回修改"),
                    ("rejected", "市级审核未通过"),
                    ("recommended", "市级拟推荐"),
                    ("at_province", "已报送省级"),
                    ("under_review", "专家评审中"),
                    ("listed", "拟认定"),
                    ("not_selected", "未入选"),
                    ("publicity", "公示中"),
                    ("province_recommended", "已推荐至部级"),
                    ("recognized", "已认定"),
                ],
                max_length=20,
                verbose_name="新状态",
            ),
        ),
    ]
