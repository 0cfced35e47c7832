"""Which search entries hold each stemmed word, read from the index alone (SearchWord).
Filled from the existing vectors on PostgreSQL, then keyed: twice as fast as filling a
keyed table."""

import django.db.models.deletion
from django.db import migrations, models

# Bytewise comparison: a lexeme is matched for equality, never sorted for people.
WORD_COLLATION_SQL = 'ALTER TABLE learning_searchword ALTER COLUMN word TYPE text COLLATE "C"'
# The planner chooses how to join a query's words by how many entries hold each: with the
# default 100 most common words sampled, "listen" (3,300 entries) was guessed at 1,000 and
# joined to all 60,000 entries holding "child" instead of looked up in them.
WORD_STATISTICS_SQL = "ALTER TABLE learning_searchword ALTER COLUMN word SET STATISTICS 1000"


def fill_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(WORD_COLLATION_SQL)
    schema_editor.execute(WORD_STATISTICS_SQL)
    schema_editor.execute(
        "ALTER TABLE learning_searchword DROP CONSTRAINT learning_searchword_pkey"
    )
    schema_editor.execute(
        "INSERT INTO learning_searchword (word, entry_id) "
        "SELECT unnest(tsvector_to_array(vector)), entry_id FROM learning_searchentrywords"
    )
    schema_editor.execute("ALTER TABLE learning_searchword ADD PRIMARY KEY (word, entry_id)")


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0008_search_entry_themes_read_from_learning_points"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "word",
                        "entry",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("word", models.TextField()),
                (
                    "entry",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="learning.searchentry",
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
    ]
