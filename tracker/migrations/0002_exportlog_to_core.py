# The export log is now core.ExportLog (same table); only the model state leaves tracker.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportLog")],
            database_operations=[],
        ),
    ]
