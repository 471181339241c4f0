from django.db import migrations

# A paper's awards are in its RIS record (N1), its CSL-JSON item (note) and so in its
# formatted citations, all stored per `entry_revision` (bibliography/citations/entry_cache.py).
# Migration 0003's triggers raise the revision for the paper row, its byline, its authors and
# its venue; these raise it when an award is given to or taken from a paper, or renamed.
# (Deleting an award deletes its rows of the through table first, which these triggers see.)

POSTGRESQL_SQL = [
    """
    CREATE FUNCTION bibliography_paper_awards_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id = OLD.paper_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id = NEW.paper_id;
        END IF;
        RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER paper_awards_entry_revision
    AFTER INSERT OR UPDATE OR DELETE ON bibliography_paper_awards
    FOR EACH ROW EXECUTE FUNCTION bibliography_paper_awards_changed()""",
    """
    CREATE FUNCTION bibliography_award_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE bibliography_paper SET entry_revision = entry_revision + 1
        WHERE id IN (SELECT paper_id FROM bibliography_paper_awards WHERE award_id = NEW.id);
        RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER award_entry_revision AFTER UPDATE OF name ON bibliography_award
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION bibliography_award_renamed()""",
]
POSTGRESQL_DROP_SQL = [
    "DROP TRIGGER award_entry_revision ON bibliography_award",
    "DROP TRIGGER paper_awards_entry_revision ON bibliography_paper_awards",
    "DROP FUNCTION bibliography_award_renamed()",
    "DROP FUNCTION bibliography_paper_awards_changed()",
]


def _bump(paper_id):
    return (
        "UPDATE bibliography_paper SET entry_revision = entry_revision + 1"
        f" WHERE id = {paper_id};"
    )


SQLITE_TRIGGERS = {
    "paper_awards_entry_insert": f"""
        AFTER INSERT ON bibliography_paper_awards FOR EACH ROW
        BEGIN {_bump("NEW.paper_id")} END""",
    "paper_awards_entry_update": f"""
        AFTER UPDATE ON bibliography_paper_awards FOR EACH ROW
        BEGIN {_bump("OLD.paper_id")} {_bump("NEW.paper_id")} END""",
    "paper_awards_entry_delete": f"""
        AFTER DELETE ON bibliography_paper_awards FOR EACH ROW
        BEGIN {_bump("OLD.paper_id")} END""",
    "award_entry_update": """
        AFTER UPDATE OF name ON bibliography_award FOR EACH ROW
        WHEN OLD.name IS NOT NEW.name
        BEGIN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id IN (SELECT paper_id FROM bibliography_paper_awards WHERE award_id = NEW.id);
        END""",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_SQL
    else:
        statements = [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_DROP_SQL
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0004_list_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
