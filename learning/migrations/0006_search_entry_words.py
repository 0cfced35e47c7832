"""Search vectors move to their own narrow table; facet copies leave the search entry.

A broad search visits every matching row: with the vectors beside the entries' text that
meant reading the whole wide table. Facet values are now read from the review itself
(reviews/catalogue.py), so the copies on each entry go. Existing vectors are carried over
on PostgreSQL; SQLite never had them (it searches an FTS5 table).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from learning.migrations._postgresql import AddIndexOnPostgreSQL, RemoveIndexOnPostgreSQL


def copy_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO learning_searchentrywords (entry_id, vector) "
        "SELECT id, search_vector FROM learning_searchentry WHERE search_vector IS NOT NULL"
    )


def copy_vectors_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE learning_searchentry e SET search_vector = w.vector "
        "FROM learning_searchentrywords w WHERE w.entry_id = e.id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_search_entry_newest"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntryWords",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="words",
                        serialize=False,
                        to="learning.searchentry",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"verbose_name_plural": "search entry words"},
        ),
        migrations.RunPython(copy_vectors, copy_vectors_back),
        AddIndexOnPostgreSQL(
            model_name="searchentrywords",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["vector"], name="search_entry_words_gin"
            ),
        ),
        RemoveIndexOnPostgreSQL(model_name="searchentry", name="search_entry_vector_gin"),
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_newest"),
        migrations.RemoveField(model_name="searchentry", name="search_vector"),
        migrations.RemoveField(model_name="searchentry", name="review_type"),
        migrations.RemoveField(model_name="searchentry", name="nation"),
        migrations.RemoveField(model_name="searchentry", name="year"),
        migrations.RemoveField(model_name="searchentry", name="age_band"),
        migrations.RemoveField(model_name="searchentry", name="outcome"),
    ]
