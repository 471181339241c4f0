from django.db import migrations

# The stored BibTeX entries of the list export (bibliography/citations/entry_cache.py).
#
# `bibliography_paper.entry_revision` counts the changes that can alter a paper's entry: it
# goes up whenever the paper's row, its byline, one of its authors or its venue changes,
# through triggers, so every write path (admin, importer, bulk updates, raw SQL) keeps it
# right. `citation_cache` keeps each paper's rendered entry with the revision it was rendered
# from; an entry is used only while the revisions agree. Neither is known to the models, so
# dumps and fixtures never carry them. The cache table is named outside the `bibliography_`
# prefix on purpose: writing it changes no data, so it must not change the data version
# (bibliography/triggers.py).
#
# History: from migration 0005 on, these triggers are bibliography/triggers.py's, which
# every `migrate` removes before it runs and installs again afterwards. With them in place,
# a later migration that makes Django rebuild one of these tables (most AlterFields on
# SQLite) could not run at all: SQLite refuses to drop or rename a table a trigger names.

COMMON_SQL = [
    "ALTER TABLE bibliography_paper ADD COLUMN entry_revision integer NOT NULL DEFAULT 0",
    """
    CREATE TABLE citation_cache (
        paper_id bigint NOT NULL,
        style varchar(32) NOT NULL,
        revision integer NOT NULL,
        text text NOT NULL,
        PRIMARY KEY (paper_id, style)
    )""",
]

# PostgreSQL: the search-document triggers of migration 0002 already update a paper's row
# whenever its byline, an author's name or its venue changes; one BEFORE UPDATE trigger on
# the paper row therefore sees every change. The app never writes entry_revision itself.
POSTGRESQL_SQL = [
    """
    CREATE FUNCTION bibliography_paper_next_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.entry_revision = OLD.entry_revision THEN
            NEW.entry_revision := OLD.entry_revision + 1;
        END IF;
        RETURN NEW;
    END $$""",
    """
    CREATE TRIGGER paper_entry_revision BEFORE UPDATE ON bibliography_paper
    FOR EACH ROW EXECUTE FUNCTION bibliography_paper_next_revision()""",
    """
    CREATE FUNCTION bibliography_paper_forget_entries() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM citation_cache;
        ELSE
            DELETE FROM citation_cache WHERE paper_id IN (SELECT id FROM gone);
        END IF;
        RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER paper_entry_delete AFTER DELETE ON bibliography_paper
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION bibliography_paper_forget_entries()""",
    """
    CREATE TRIGGER paper_entry_truncate AFTER TRUNCATE ON bibliography_paper
    FOR EACH STATEMENT EXECUTE FUNCTION bibliography_paper_forget_entries()""",
]
POSTGRESQL_DROP_SQL = [
    "DROP TRIGGER paper_entry_truncate ON bibliography_paper",
    "DROP TRIGGER paper_entry_delete ON bibliography_paper",
    "DROP TRIGGER paper_entry_revision ON bibliography_paper",
    "DROP FUNCTION bibliography_paper_forget_entries()",
    "DROP FUNCTION bibliography_paper_next_revision()",
]


def _bump(paper_id):
    return (
        "UPDATE bibliography_paper SET entry_revision = entry_revision + 1"
        f" WHERE id = {paper_id};"
    )


# SQLite has no statement triggers with transition tables; row triggers do the same. The
# WHEN clause lets a bump made by the other triggers count once.
SQLITE_TRIGGERS = {
    "paper_entry_revision": f"""
        AFTER UPDATE ON bibliography_paper FOR EACH ROW
        WHEN NEW.entry_revision = OLD.entry_revision
        BEGIN {_bump("NEW.id")} END""",
    "paper_entry_delete": """
        AFTER DELETE ON bibliography_paper FOR EACH ROW
        BEGIN DELETE FROM citation_cache WHERE paper_id = OLD.id; END""",
    "authorship_entry_insert": f"""
        AFTER INSERT ON bibliography_authorship FOR EACH ROW
        BEGIN {_bump("NEW.paper_id")} END""",
    "authorship_entry_update": f"""
        AFTER UPDATE ON bibliography_authorship FOR EACH ROW
        BEGIN {_bump("OLD.paper_id")} {_bump("NEW.paper_id")} END""",
    "authorship_entry_delete": f"""
        AFTER DELETE ON bibliography_authorship FOR EACH ROW
        BEGIN {_bump("OLD.paper_id")} END""",
    "author_entry_update": """
        AFTER UPDATE ON bibliography_author FOR EACH ROW
        BEGIN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id IN (SELECT paper_id FROM bibliography_authorship WHERE author_id = NEW.id);
        END""",
    "venue_entry_update": """
        AFTER UPDATE ON bibliography_venue FOR EACH ROW
        BEGIN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE venue_id = NEW.id;
        END""",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = list(COMMON_SQL)
    if vendor == "postgresql":
        statements += POSTGRESQL_SQL
    else:
        statements += [f"CREATE TRIGGER {name} {body}" for name, body in SQLITE_TRIGGERS.items()]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = POSTGRESQL_DROP_SQL
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_TRIGGERS]
    statements += [
        "DROP TABLE citation_cache",
        "ALTER TABLE bibliography_paper DROP COLUMN entry_revision",
    ]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0002_data_version_and_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
