# The export log moves from the site package (tracker) to the platform (core). Its table
# keeps its name, so this only moves the model's state; tracker.0002 removes it there.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("tracker", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("resource", models.CharField(max_length=60, verbose_name="resource")),
                        ("format", models.CharField(max_length=10, verbose_name="format")),
                        ("filters", models.JSONField(blank=True, default=dict, verbose_name="filters")),
                        ("row_count", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="exported at")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "export log entry",
                        "verbose_name_plural": "export log",
                        "ordering": ["-created_at"],
                        "db_table": "tracker_exportlog",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
