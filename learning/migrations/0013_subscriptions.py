"""E-mail subscriptions to new and updated reviews and the deliveries that make digests
idempotent (learning/subscriptions/, docs/subscriptions.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0012_returns"),
        ("reviews", "0011_revision_snapshot_help_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="Subscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, unique=True)),
                (
                    "everything",
                    models.BooleanField(
                        default=True,
                        help_text="Every new and updated review, whatever its themes and agencies.",
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("daily", "Daily"), ("weekly", "Weekly")],
                        default="weekly",
                        max_length=10,
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("cy", "Cymraeg")], default="en", max_length=8
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("requested_at", models.DateTimeField()),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("last_checked_at", models.DateTimeField(blank=True, null=True)),
                ("last_sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "agencies",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Chosen agencies.",
                        related_name="subscriptions",
                        to="reviews.agency",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Chosen themes.",
                        related_name="subscriptions",
                        to="learning.theme",
                    ),
                ),
            ],
            options={
                "ordering": ["email"],
            },
        ),
        migrations.CreateModel(
            name="DigestDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version_at", models.DateTimeField()),
                ("sent_at", models.DateTimeField()),
                (
                    "review",
                    models.ForeignKey(
                        help_text="The review's working copy.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reviews.review",
                    ),
                ),
                (
                    "subscription",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="learning.subscription",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "digest deliveries",
            },
        ),
        migrations.AddIndex(
            model_name="subscription",
            index=models.Index(fields=["confirmed_at", "frequency"], name="subscription_due"),
        ),
        migrations.AddIndex(
            model_name="subscription",
            index=models.Index(fields=["requested_at"], name="subscription_requested"),
        ),
        migrations.AddConstraint(
            model_name="digestdelivery",
            constraint=models.UniqueConstraint(
                fields=("subscription", "review", "version_at"), name="digest_delivery_once"
            ),
        ),
    ]
