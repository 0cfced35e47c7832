"""PostgreSQL refuses TRUNCATE of the audit log and revisions, as it refuses UPDATE and
DELETE of their rows (0005): TRUNCATE fires no row triggers, so it needs its own.

The one exception is a database whose owner has said so with
`ALTER DATABASE ... SET reviews.allow_truncate = 'on'`: the test suite's own databases,
which Django empties with TRUNCATE between transactional tests. The trigger reads that from
the catalogue, not from the session, so a connection cannot grant itself the exception with
SET; whoever may ALTER the database could drop the trigger anyway.
"""

from django.db import migrations

APPEND_ONLY_TABLES = ["reviews_auditentry", "reviews_reviewrevision"]
GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION reviews_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
        WHERE d.datname = current_database() AND s.setrole = 0
        AND 'reviews.allow_truncate=on' = ANY(s.setconfig)
    ) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: it cannot be truncated', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD_FUNCTION, params=None)  # "%" is PL/pgSQL's, not a parameter
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION reviews_refuse_truncate();"
        )


def remove_guards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in APPEND_ONLY_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS reviews_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0009_review_page_document")]

    operations = [migrations.RunPython(add_guards, remove_guards, elidable=False)]
