"""Admin pages of reporting for the role groups (created by companies 0003_role_groups): city
and county staff may view campaigns, submissions, their steps and attachments (the admin's
rows are cut to their scope; the steps they may take are the workflow table's)."""

import importlib

from django.db import migrations

MODELS = ("campaign", "submission", "submissionstep", "attachment")
GROUPS = ("city staff", "county staff")


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    importlib.import_module("companies.migrations.0003_role_groups")._ensure_permissions(
        apps, using
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.using(using).filter(
        content_type__app_label="reporting", codename__in=[f"view_{m}" for m in MODELS]
    )
    for group in Group.objects.using(using).filter(name__in=GROUPS):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="reporting")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_campaigns_and_submissions"),
        ("companies", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
