"""Submission.region: a copy of the company's region (see the field's comment), filled from
the companies for the submissions there are; with the progress and queue indexes, and the
ordering by ids."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Submission = apps.get_model("reporting", "Submission")
    Company = apps.get_model("companies", "Company")
    Submission.objects.update(
        region_id=models.Subquery(
            Company.objects.filter(pk=models.OuterRef("company_id")).values("region_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_role_permissions"),
        ("companies", "0009_merge_audit_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="region",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="companies.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="submission",
            name="region",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="companies.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterModelOptions(
            name="submission",
            options={
                "ordering": ["campaign_id", "company_id"],
                "verbose_name": "submission",
                "verbose_name_plural": "submissions",
            },
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["campaign", "region", "state"], name="submission_progress"),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["state", "submitted_at", "id"], name="submission_queue"),
        ),
    ]
