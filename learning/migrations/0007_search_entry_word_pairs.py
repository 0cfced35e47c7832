"""Side-by-side word pairs of every search entry, so phrase searches are narrowed by an
index before word positions are checked. Filled from the existing vectors on PostgreSQL."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from learning.migrations._postgresql import AddIndexOnPostgreSQL

# As learning.search_index.WORD_PAIRS_SQL was when this migration was written.
WORD_PAIRS_SQL = (
    "array_to_tsvector(ARRAY(SELECT DISTINCT a.lexeme || ' ' || b.lexeme "
    "FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(vector)) a "
    "JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(vector)) b ON b.p = a.p + 1))"
)


def fill_pairs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO learning_searchentrywordpairs (entry_id, pairs) "  # noqa: S608 - constant
        f"SELECT entry_id, {WORD_PAIRS_SQL} FROM learning_searchentrywords"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0006_search_entry_words"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntryWordPairs",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="word_pairs",
                        serialize=False,
                        to="learning.searchentry",
                    ),
                ),
                ("pairs", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"verbose_name_plural": "search entry word pairs"},
        ),
        migrations.RunPython(fill_pairs, migrations.RunPython.noop),
        AddIndexOnPostgreSQL(
            model_name="searchentrywordpairs",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["pairs"], name="search_entry_pairs_gin"
            ),
        ),
    ]
