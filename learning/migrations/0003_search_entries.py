"""The search index: one row per published review and learning point.

PostgreSQL keeps a stored tsvector with a GIN index. SQLite cannot build that index, so
there the GIN index is recorded in the migration state only and an FTS5 table (Porter
stemming) is made instead, when this SQLite has FTS5; without it search falls back to LIKE.
"""

import contextlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from learning.migrations._postgresql import AddIndexOnPostgreSQL

FTS_TABLE = "learning_searchentry_fts"


def create_sqlite_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # Without FTS5 in this SQLite, search falls back to LIKE (reviews/search.py).
    with schema_editor.connection.cursor() as cursor, contextlib.suppress(Exception):
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "title, body, detail, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop_sqlite_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_themes"),
        ("reviews", "0003_portal_pages"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("review", "Review"), ("learning-point", "Learning point")],
                        max_length=20,
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("body", models.TextField(help_text="Plain text excerpts are cut from.")),
                (
                    "detail",
                    models.TextField(
                        blank=True, help_text="Plain text that is searched, weighted less."
                    ),
                ),
                ("published_on", models.DateField(null=True)),
                ("review_type", models.CharField(max_length=50)),
                ("nation", models.CharField(max_length=20)),
                ("year", models.PositiveSmallIntegerField(null=True)),
                ("age_band", models.CharField(blank=True, max_length=10)),
                ("outcome", models.CharField(max_length=20)),
                (
                    "search_vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                (
                    "agencies",
                    models.ManyToManyField(blank=True, related_name="+", to="reviews.agency"),
                ),
                (
                    "learning_point",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learning.learningpoint",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_entries",
                        to="reviews.review",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(blank=True, related_name="+", to="learning.theme"),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
                "indexes": [
                    models.Index(fields=["kind", "-published_on"], name="search_entry_kind_date")
                ],
            },
        ),
        AddIndexOnPostgreSQL(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="search_entry_vector_gin"
            ),
        ),
        migrations.RunPython(create_sqlite_fts, drop_sqlite_fts, elidable=False),
    ]
