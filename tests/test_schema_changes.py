"""Ordinary schema changes migrate, forwards and backwards, on SQLite and PostgreSQL, and
every `migrate` ends with the triggers of bibliography/triggers.py in place and working.

SQLite rebuilds a table for most AlterFields (copy, drop, rename), which it refuses while a
trigger names the table; the test runs one AlterField and one AddField on each model table
that carries triggers, from a migration written into a throwaway copy of the app's
migrations package. (The auto-created awards table takes no field operation of its own.)
"""

import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.db.migrations import AddField, AlterField, Migration
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.writer import MigrationWriter

import bibliography.migrations
from bibliography import triggers
from tests.factories import make_paper
from tests.trigger_checks import assert_triggers_work, entry_revision

pytestmark = pytest.mark.django_db(transaction=True)

MIGRATIONS = Path(bibliography.migrations.__file__).parent


def altered(field):
    """`field`, changed in a way that makes SQLite rebuild the table and PostgreSQL alter
    the column: a CharField a little wider, a small integer a full one."""
    name, path, args, kwargs = field.deconstruct()
    if isinstance(field, models.CharField):
        return type(field)(*args, **{**kwargs, "max_length": field.max_length + 10})
    return models.PositiveIntegerField(*args, **kwargs)


def schema_changes() -> list:
    operations = []
    for model in apps.get_app_config("bibliography").get_models():
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.unique]
        texts = [f for f in fields if isinstance(f, models.CharField) and not f.choices]
        numbers = [f for f in fields if isinstance(f, models.PositiveSmallIntegerField)]
        name = model._meta.model_name
        # A table with no such column (a table of ids and unique slugs) gets the AddField only.
        operations += [AlterField(name, f.name, altered(f)) for f in (texts + numbers)[:1]]
        # Nullable: the models, which do not know it, write rows while it exists.
        operations.append(
            AddField(name, "schema_probe", models.CharField(max_length=20, null=True))
        )
    return operations


@pytest.fixture
def throwaway_migration(tmp_path, settings, monkeypatch):
    """The app's migrations plus one of schema changes, as a package of its own; yields the
    (name of the) migration it follows. The schema is migrated back afterwards."""
    package = tmp_path / "throwaway_migrations"
    shutil.copytree(MIGRATIONS, package, ignore=shutil.ignore_patterns("__pycache__"))
    (last,) = MigrationLoader(connection).graph.leaf_nodes("bibliography")
    migration = Migration("9999_schema_changes", "bibliography")
    migration.dependencies = [last]
    migration.operations = schema_changes()
    (package / "9999_schema_changes.py").write_text(MigrationWriter(migration).as_string())
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"bibliography": "throwaway_migrations"}
    yield last[1]
    call_command("migrate", "bibliography", last[1], verbosity=0)


def test_schema_changes_on_every_table_with_triggers_migrate_forwards_and_back(
    throwaway_migration,
):
    paper = make_paper(title="Kept across rebuilds")
    changed_tables = {
        apps.get_model("bibliography", op.model_name)._meta.db_table for op in schema_changes()
    }
    # m2m tables (paper awards, byline roles...) have no model of their own to alter.
    m2m_tables = {
        field.remote_field.through._meta.db_table
        for model in apps.get_app_config("bibliography").get_models()
        for field in model._meta.local_many_to_many
    }
    assert changed_tables | m2m_tables == set(triggers.model_tables())

    call_command("migrate", "bibliography", verbosity=0)
    assert "schema_probe" in column_names("bibliography_paper")
    assert_triggers_work()

    call_command("migrate", "bibliography", throwaway_migration, verbosity=0)
    assert "schema_probe" not in column_names("bibliography_paper")
    assert_triggers_work()
    paper.refresh_from_db()
    assert paper.title == "Kept across rebuilds" and entry_revision(paper) >= 0


def test_migrating_back_before_the_handover_and_forwards_again(throwaway_migration):
    # 0004 and earlier have the old migrations' own triggers, which 0003 and 0002 drop.
    call_command("migrate", "bibliography", "0004", verbosity=0)
    assert "changed_at" not in column_names(triggers.VERSION_TABLE)
    call_command("migrate", "bibliography", "zero", verbosity=0)
    assert triggers.installed_triggers(connection) == set()
    call_command("migrate", "bibliography", verbosity=0)
    assert_triggers_work()


def column_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}
