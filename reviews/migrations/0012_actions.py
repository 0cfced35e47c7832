"""Action plans: each recommendation's actions and their evidence files.

Editors add and update actions and submit evidence; publishers also accept or send back
evidence (reviews.accept_action). Permissions are created here, as in 0005, so the roles
can be given them in the same run.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import reviews.models.actions

EDITOR = [
    ("reviews", "add_action"),
    ("reviews", "change_action"),
    ("reviews", "delete_action"),
    ("reviews", "view_action"),
    ("reviews", "add_actionattachment"),
    ("reviews", "delete_actionattachment"),
    ("reviews", "view_actionattachment"),
]
PUBLISHER = EDITOR + [("reviews", "accept_action")]
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
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        for app_label, codename in ROLES[group.name]:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0011_revision_snapshot_help_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("edited", "Edited"),
                    ("submitted", "Submitted for sign-off"),
                    ("published", "Published"),
                    ("scheduled", "Scheduled"),
                    ("schedule-cancelled", "Schedule cancelled"),
                    ("rejected", "Sent back"),
                    ("withdrawn", "Withdrawn"),
                    ("reverted", "Reverted"),
                    ("imported-live", "Imported as published"),
                    ("preview-link-created", "Preview link created"),
                    ("preview-link-revoked", "Preview link revoked"),
                    ("deleted", "Deleted"),
                    ("protected-names-changed", "Protected names changed"),
                    ("privacy-acknowledged", "Privacy finding acknowledged"),
                    ("action-created", "Action added"),
                    ("action-edited", "Action edited"),
                    ("action-deleted", "Action deleted"),
                    ("action-evidence-submitted", "Action evidence submitted"),
                    ("action-accepted", "Action evidence accepted"),
                    ("action-rejected", "Action evidence sent back"),
                    ("action-attachment-added", "Action evidence file added"),
                    ("action-attachment-removed", "Action evidence file removed"),
                    ("action-plan-imported", "Action plan imported"),
                ],
                db_index=True,
                max_length=30,
            ),
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "recommendation_number",
                    models.PositiveSmallIntegerField(
                        help_text="The recommendation's number in the review, counting from 1."
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        help_text="The action's order within its recommendation, from 1."
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        help_text="What will be done (plain text).",
                        max_length=2000,
                        verbose_name="action",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="due")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not-started", "Not started"),
                            ("in-progress", "In progress"),
                            ("evidence-submitted", "Evidence submitted"),
                            ("complete", "Complete"),
                        ],
                        default="not-started",
                        editable=False,
                        max_length=20,
                    ),
                ),
                ("progress", models.TextField(blank=True, verbose_name="progress notes")),
                (
                    "evidence",
                    models.TextField(blank=True, help_text="What shows it is done (plain text)."),
                ),
                (
                    "evidence_submitted_by_name",
                    models.CharField(blank=True, editable=False, max_length=150),
                ),
                (
                    "evidence_submitted_at",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
                ("accepted_by_name", models.CharField(blank=True, editable=False, max_length=150)),
                ("accepted_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("rejection_reason", models.TextField(blank=True, editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "evidence_submitted_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        help_text="The owning agency.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="reviews.agency",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        help_text="The review's working copy.",
                        limit_choices_to={"is_live": False},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "ordering": ["review", "recommendation_number", "position"],
                "permissions": [("accept_action", "Can accept or reject an action's evidence")],
            },
        ),
        migrations.CreateModel(
            name="ActionAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        storage=reviews.models.actions.private_storage,
                        upload_to=reviews.models.actions.attachment_upload_to,
                    ),
                ),
                ("original_name", models.CharField(max_length=200)),
                (
                    "content_type",
                    models.CharField(
                        help_text="As found in the file's content, not as the browser said.",
                        max_length=100,
                    ),
                ),
                ("size", models.PositiveIntegerField(help_text="Bytes.")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_by_name", models.CharField(blank=True, max_length=150)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="reviews.action",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["action", "uploaded_at", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["status", "due_on"], name="action_status_due"),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.UniqueConstraint(
                fields=("review", "recommendation_number", "position"),
                name="action_unique_position",
            ),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.CheckConstraint(
                condition=models.Q(("recommendation_number__gte", 1), ("position__gte", 1)),
                name="action_numbers_from_one",
            ),
        ),
        migrations.RunPython(add_permissions, remove_permissions),
    ]
