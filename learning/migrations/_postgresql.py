"""Operations for index types only PostgreSQL has (GIN over tsvector): other databases
record the index in the migration state and skip the SQL. Not a migration itself (Django
skips modules whose names start with an underscore)."""

from django.db import migrations


class PostgreSQLOnly:
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgreSQL(PostgreSQLOnly, migrations.AddIndex):
    pass


class RemoveIndexOnPostgreSQL(PostgreSQLOnly, migrations.RemoveIndex):
    pass
