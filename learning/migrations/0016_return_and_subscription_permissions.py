"""Board roles for discussion returns and subscriptions.

Editors and publishers see returns (and the reach and impact report, /admin/impact/) and
subscriptions; publishers also decide on returns the privacy check held
(learning.change_discussionreturn) and remove subscriptions. Permissions are created here,
as in reviews 0005, so the roles can be given them in the same run.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    ("learning", "view_usecode"),
    ("learning", "view_discussionreturn"),
    ("learning", "view_subscription"),
]
PUBLISHER = EDITOR + [
    ("learning", "change_discussionreturn"),
    ("learning", "delete_subscription"),
]
ROLES = {"Editor": EDITOR, "Publisher": PUBLISHER}


def add_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codename in codenames:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0015_theme_welsh_names"),
        ("reviews", "0016_audit_discussion_returns"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
