"""The Editor and Publisher roles, and a database guard on the audit log and revisions.

Roles are groups so that an administrator gives a person a role by adding them to a group.
Permissions are created here, not left to post_migrate, so the groups can be filled in the
same run that creates the models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ONLY = [
    ("reviews", "view_board"),
    ("reviews", "view_agency"),
    ("reviews", "view_reviewtype"),
    ("reviews", "view_reviewrevision"),
    ("learning", "view_theme"),
]
EDITOR = VIEW_ONLY + [
    ("reviews", "add_review"),
    ("reviews", "change_review"),
    ("reviews", "view_review"),
    ("reviews", "submit_review"),
    ("reviews", "add_board"),
    ("reviews", "add_agency"),
    ("reviews", "add_chronologyevent"),
    ("reviews", "change_chronologyevent"),
    ("reviews", "delete_chronologyevent"),
    ("reviews", "view_chronologyevent"),
    ("reviews", "add_analysisfinding"),
    ("reviews", "change_analysisfinding"),
    ("reviews", "delete_analysisfinding"),
    ("reviews", "view_analysisfinding"),
    ("reviews", "add_recommendation"),
    ("reviews", "change_recommendation"),
    ("reviews", "delete_recommendation"),
    ("reviews", "view_recommendation"),
    ("learning", "add_learningpoint"),
    ("learning", "change_learningpoint"),
    ("learning", "delete_learningpoint"),
    ("learning", "view_learningpoint"),
    ("learning", "add_discussionprompt"),
    ("learning", "change_discussionprompt"),
    ("learning", "delete_discussionprompt"),
    ("learning", "view_discussionprompt"),
]
PUBLISHER = EDITOR + [
    ("reviews", "publish_review"),
    ("reviews", "view_auditentry"),
    ("reviews", "view_audit_log"),
    ("reviews", "view_previewlink"),
]
ROLES = {"Editor": EDITOR, "Publisher": PUBLISHER}

# PostgreSQL refuses any UPDATE or DELETE of audit entries and revisions, whatever the code.
APPEND_ONLY_TABLES = ["reviews_auditentry", "reviews_reviewrevision"]
GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION reviews_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: rows cannot be changed or deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def add_roles(apps, schema_editor):
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


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD_FUNCTION, params=None)  # "%" is PL/pgSQL's, not a parameter
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION reviews_refuse_change();"
        )


def remove_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS reviews_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_publishing_workflow"),
        ("learning", "0002_themes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_roles, remove_roles),
        migrations.RunPython(add_guards, remove_guards),
    ]
