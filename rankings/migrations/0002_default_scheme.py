from django.db import migrations


def create_default_scheme(apps, schema_editor):
    """Version 1 of the scoring scheme: RANKING.md's defaults (the field defaults), active."""
    ScoringScheme = apps.get_model("rankings", "ScoringScheme")
    if not ScoringScheme.objects.exists():
        ScoringScheme.objects.create(
            version=1, active=True, name="RANKING.md defaults (亩均论英雄 + smart manufacturing)"
        )


def remove_default_scheme(apps, schema_editor):
    ScoringScheme = apps.get_model("rankings", "ScoringScheme")
    ScoringScheme.objects.filter(version=1, runs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_initial")]

    operations = [migrations.RunPython(create_default_scheme, remove_default_scheme)]
