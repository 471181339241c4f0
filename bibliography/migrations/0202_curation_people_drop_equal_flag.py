import importlib

from django.db import migrations


def restore_sqlite_entry_triggers(apps, schema_editor):
    """SQLite rebuilds a table to add a column with a default (authors' and awards' new
    fields), and a rebuilt table has lost its triggers: the citation cache's (migration
    0003) are put back. PostgreSQL alters tables in place and keeps them."""
    if schema_editor.connection.vendor != "sqlite":
        return
    citation_cache = importlib.import_module("bibliography.migrations.0003_citation_cache")
    for name, body in citation_cache.SQLITE_TRIGGERS.items():
        schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0201_curation_people_roles"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="authorship",
            name="equal_contribution",
        ),
        migrations.RunPython(restore_sqlite_entry_triggers, migrations.RunPython.noop),
    ]
