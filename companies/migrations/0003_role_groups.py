"""The permission groups behind the roles (names from companies.services.ROLE_GROUPS).

Model permissions say which admin pages a role reaches; the scoping layer then cuts every
page down to the role's rows. Administrators are superusers and need no group.
"""

from django.db import migrations

CHANGE = ("add", "change", "delete", "view")
VIEW = ("view",)

DOMAIN = [
    ("companies", "company"),
    ("companies", "designation"),
    ("companies", "certification"),
    ("companies", "maturityassessment"),
    ("companies", "annualdata"),
    ("projects", "keyproject"),
    ("projects", "progressreport"),
]
BATCH = [("companies", "demonstrationbatch")]
REFERENCE = [("companies", "region"), ("companies", "industry"), ("companies", "keyindustry")]
STATUS_HISTORY = [("projects", "projectstatuschange")]

# group name -> [(models, actions)]
GROUPS = {
    "city staff": [
        (DOMAIN + BATCH, CHANGE),
        (REFERENCE + STATUS_HISTORY, VIEW),
    ],
    "county staff": [
        (DOMAIN, CHANGE),
        (BATCH + REFERENCE + STATUS_HISTORY, VIEW),
    ],
    "company user": [
        (DOMAIN + BATCH + STATUS_HISTORY, VIEW),
    ],
}


def _ensure_permissions(apps, using):
    """Permissions are normally made by post_migrate, after every migration has run; a fresh
    database reaches this migration before that, so make them now (idempotent). Every app in
    the migration state is covered, whatever apps are installed."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = None


def create_role_groups(apps, schema_editor):
    using = schema_editor.connection.alias
    _ensure_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = []
        for models, actions in grants:
            for app_label, model in models:
                wanted.extend(
                    Permission.objects.using(using).filter(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename__in=[f"{action}_{model}" for action in actions],
                    )
                )
        group.permissions.add(*wanted)


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0002_reference_data"),
        ("projects", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
