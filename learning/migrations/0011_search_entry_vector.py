"""Search goes back to PostgreSQL's plain full-text search: one stored, weighted tsvector
on each search entry with a GIN index. The narrow words table, the words-per-entry table
and the word-pairs table go (docs/architecture.md, "Search", has the figures).

Vectors are filled from the entries' own text on PostgreSQL (title A, body B, detail C, as
learning/search_index.py writes them); SQLite keeps its FTS5 table and leaves the column
empty.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

from learning.migrations._postgresql import AddIndexOnPostgreSQL

FILL_VECTORS_SQL = (
    "UPDATE learning_searchentry SET vector = "
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, body), 'B') || "
    "setweight(to_tsvector('english'::regconfig, detail), 'C')"
)


def fill_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_VECTORS_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0010_search_entry_shows_its_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop),
        AddIndexOnPostgreSQL(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["vector"], name="search_entry_vector_gin"
            ),
        ),
        migrations.DeleteModel(name="SearchWord"),
        migrations.DeleteModel(name="SearchEntryWordPairs"),
        migrations.DeleteModel(name="SearchEntryWords"),
    ]
