import importlib

from django.db import migrations

# From here on the database triggers are bibliography/triggers.py's: every `migrate` removes
# them before it runs (SQLite cannot rebuild a table that a trigger names) and installs them
# when it is done, with the data-version triggers that replace the old SQL-sniffing wrapper.
# This migration drops the triggers and functions that 0002 and 0003 created and gives the
# data version the time of its last change (for Last-Modified). Backwards, it creates the
# old ones again, so that 0003 and 0002 can drop them as they expect to.
#
# The old SQL is read from those migrations, not from the app, so this one keeps doing the
# same thing whatever later code looks like.
_search = importlib.import_module("bibliography.migrations.0002_data_version_and_search_indexes")
_entries = importlib.import_module("bibliography.migrations.0003_citation_cache")

POSTGRESQL_CREATE = [
    statement
    for statement in _search.CREATE_SQL
    if statement.lstrip().startswith(("CREATE FUNCTION", "CREATE TRIGGER"))
] + _entries.POSTGRESQL_SQL
POSTGRESQL_DROP = [
    statement.replace("DROP TRIGGER ", "DROP TRIGGER IF EXISTS ").replace(
        "DROP FUNCTION ", "DROP FUNCTION IF EXISTS "
    )
    for statement in _entries.POSTGRESQL_DROP_SQL + _search.DROP_SQL
    if statement.startswith(("DROP TRIGGER", "DROP FUNCTION"))
]


def drop_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_DROP
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _entries.SQLITE_TRIGGERS]
    for statement in statements:
        schema_editor.execute(statement)


def create_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_CREATE
    else:
        # A later migration that rebuilt the paper table (SQLite) dropped the column the
        # models do not know; the old triggers need it back.
        with schema_editor.connection.cursor() as cursor:
            columns = schema_editor.connection.introspection.get_table_description(
                cursor, "bibliography_paper"
            )
        has_revision = any(column.name == "entry_revision" for column in columns)
        statements = [] if has_revision else [_entries.COMMON_SQL[0]]
        statements += [
            f"CREATE TRIGGER {name} {body}" for name, body in _entries.SQLITE_TRIGGERS.items()
        ]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0004_list_indexes"),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, create_old_triggers),
        # Seconds since 1970 (a float, the same on both databases); the triggers set it.
        migrations.RunSQL(
            "ALTER TABLE bibliography_dataversion ADD COLUMN changed_at double precision",
            "ALTER TABLE bibliography_dataversion DROP COLUMN changed_at",
        ),
    ]
