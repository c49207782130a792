"""The role groups' permissions on surveillance audits (added after companies 0003_role_groups
made the groups): city and county staff record them like certificates, company users read
theirs. Without them the admin answered 403 to the staff the API let write."""

import importlib

from django.db import migrations

GRANTS = {
    "city staff": ("add", "change", "delete", "view"),
    "county staff": ("add", "change", "delete", "view"),
    "company user": ("view",),
}


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    importlib.import_module("companies.migrations.0003_role_groups")._ensure_permissions(
        apps, using
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GRANTS.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__app_label="companies",
                codename__in=[f"{action}_surveillanceaudit" for action in actions],
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="companies", codename__endswith="_surveillanceaudit"
    )
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("companies", "0007_merge_size_class_and_domain")]

    operations = [migrations.RunPython(grant, revoke)]
