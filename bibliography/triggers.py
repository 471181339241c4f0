"""Every database trigger of the bibliography, for SQLite and PostgreSQL, and how to install
and remove them.

The triggers keep three things right whatever writes the rows (the admin, the importer,
bulk updates, loaddata, `psql` or `sqlite3` in a shell):

- the data version (caching.py): the one row of `bibliography_dataversion` gets a new
  random token and the time of the change, in the same transaction as every INSERT, UPDATE,
  DELETE (and TRUNCATE on PostgreSQL) on any table of the app's models, m2m tables
  included. The tables come from the models, so a model added later is covered by itself;
- each paper's `entry_revision` (citations/entry_cache.py): it goes up whenever the paper,
  its byline, one of its authors, its venue or its awards change, and a deleted paper's
  stored entries go with it. Writing `citation_cache` is not a data change and bumps nothing;
- PostgreSQL only, the stored search document of each paper (search.py);
- the number of published papers of each author (`bibliography_author_paper_count`, read
  by the whole list's author facet in facets.py): bylines added, removed or moved and
  papers published or withdrawn change it by one, so no page groups every byline.

The triggers are not in the migrations because a migration cannot run while they exist:
Django rebuilds an SQLite table for most AlterFields (copy, drop, rename), and SQLite
refuses to drop or rename a table that another table's trigger names. So every `migrate`
(and `flush`, which ends the same way) removes them first and installs them again when it
is done (`remove_before_migrate`, `install_after_migrate`, connected in apps.py). While a
migration runs, its writes fire no trigger: installing bumps the data version and empties
the stored entries, and a data migration that changes what a search finds must refresh the
search documents itself.
"""

import secrets
import time
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder

VERSION_TABLE = "bibliography_dataversion"
# Not a model's table (migration 0300 creates it): rows of (author_id, papers), where
# papers counts the author's bylines on published papers; rows at 0 stay.
COUNT_TABLE = "bibliography_author_paper_count"
ENTRY_STORE_TABLE = "citation_cache"
# The migration that drops the old migrations' own triggers and adds the version's time.
HANDOVER_MIGRATION = ("bibliography", "0005_triggers_leave_the_migrations")


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    definition: str  # what follows `CREATE TRIGGER name`


# --- PostgreSQL: statement-level triggers, functions in PL/pgSQL ---------------------------

_PG_NEW_VERSION = (
    f"UPDATE {VERSION_TABLE} SET token = replace(gen_random_uuid()::text, '-', ''),"
    " changed_at = extract(epoch FROM clock_timestamp()) WHERE id = 1"
)


def _pg_refresh_documents(papers: str) -> str:
    """A trigger function that recomputes the search document of the papers `p` for which
    the condition `papers` holds (`changed` is the statement's transition table)."""
    return f"""
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE bibliography_paper p
            SET search_document = bibliography_paper_document(p.id, p.title, p.abstract, p.venue_id)
            WHERE {papers};
            RETURN NULL;
        END $$"""


def _pg_add_to_counts(deltas: str) -> str:
    """Adds to each author's count the sum of the (author_id, delta) rows of `deltas`."""
    return f"""
        INSERT INTO {COUNT_TABLE} (author_id, papers)
        SELECT author_id, sum(delta) FROM ({deltas}) d GROUP BY author_id
        ON CONFLICT (author_id) DO UPDATE SET papers = {COUNT_TABLE}.papers + excluded.papers"""


def _pg_published_bylines(rows: str, delta: int) -> str:
    return (
        f"SELECT b.author_id, {delta} AS delta FROM {rows} b"
        " JOIN bibliography_paper p ON p.id = b.paper_id WHERE p.published"
    )


_PG_MOVED_BYLINES = _pg_add_to_counts(
    _pg_published_bylines("new_rows", 1) + " UNION ALL " + _pg_published_bylines("old_rows", -1)
)


def _pg_bylines_of_published(rows: str, delta: int) -> str:
    return (
        f"SELECT s.author_id, {delta} AS delta FROM {rows} n"
        " JOIN bibliography_authorship s ON s.paper_id = n.id WHERE n.published"
    )


_PG_PUBLISHED_CHANGED = _pg_add_to_counts(
    "SELECT s.author_id, CASE WHEN n.published THEN 1 ELSE -1 END AS delta"
    " FROM new_rows n JOIN old_rows o ON o.id = n.id"
    " JOIN bibliography_authorship s ON s.paper_id = n.id"
    " WHERE n.published <> o.published"
)


def _pg_count_function(deltas, on_update: str) -> str:
    """A count trigger function: `deltas(rows, delta)` selects the authors' changes for
    the rows inserted (+1) or deleted (-1); `on_update` is the statement for an UPDATE.
    A TRUNCATE empties the counts (`old_rows`/`new_rows` exist only where they apply)."""
    return f"""
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {COUNT_TABLE};
            ELSIF TG_OP = 'INSERT' THEN
                {_pg_add_to_counts(deltas("new_rows", 1))};
            ELSIF TG_OP = 'DELETE' THEN
                {_pg_add_to_counts(deltas("old_rows", -1))};
            ELSE
                {on_update};
            END IF;
            RETURN NULL;
        END $$"""


# signature: what follows `CREATE FUNCTION signature` (install drops them all first).
_PG_FUNCTIONS = {
    "bibliography_data_changed()": f"""
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_NEW_VERSION};
            RETURN NULL;
        END $$""",
    "bibliography_paper_document(paper bigint, title text, abstract text, venue bigint)": """
        RETURNS tsvector LANGUAGE plpgsql STABLE AS $$
        DECLARE
            venue_text text;
            names text;
        BEGIN
            SELECT concat_ws(' ', v.name, v.short_name) INTO venue_text
            FROM bibliography_venue v WHERE v.id = venue;
            -- A lookup by primary key per name: as a join, a plan made while the tables
            -- were small (statistics lag behind a bulk insert) scans every author per paper.
            SELECT string_agg(
                (SELECT concat_ws(' ', a.given_name, a.particle, a.family_name, a.display_name)
                 FROM bibliography_author a WHERE a.id = s.author_id), ' ') INTO names
            FROM bibliography_authorship s WHERE s.paper_id = paper;
            RETURN setweight(to_tsvector('english', coalesce(title, '')), 'A')
                || setweight(to_tsvector('english', coalesce(venue_text, '')), 'B')
                || setweight(to_tsvector('english', coalesce(names, '')), 'B')
                || setweight(to_tsvector('english', coalesce(abstract, '')), 'C');
        END $$""",
    "bibliography_paper_set_document()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_document := bibliography_paper_document(
                NEW.id, NEW.title, NEW.abstract, NEW.venue_id);
            RETURN NEW;
        END $$""",
    "bibliography_byline_changed()": _pg_refresh_documents(
        "p.id IN (SELECT paper_id FROM changed)"
    ),
    # New bylines (an import's bulk insert) only add names: appended, not recomputed.
    "bibliography_byline_added()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE bibliography_paper p
            SET search_document = coalesce(p.search_document, ''::tsvector)
                || setweight(to_tsvector('english', added.names), 'B')
            FROM (
                SELECT c.paper_id, string_agg(concat_ws(' ', a.given_name, a.particle,
                                                        a.family_name, a.display_name), ' ') names
                FROM changed c JOIN bibliography_author a ON a.id = c.author_id
                GROUP BY c.paper_id
            ) added
            WHERE p.id = added.paper_id;
            RETURN NULL;
        END $$""",
    "bibliography_author_changed()": _pg_refresh_documents(
        "p.id IN (SELECT s.paper_id FROM bibliography_authorship s"
        " WHERE s.author_id IN (SELECT id FROM changed))"
    ),
    "bibliography_venue_changed()": _pg_refresh_documents("p.venue_id IN (SELECT id FROM changed)"),
    # The search-document triggers above update a paper's row whenever its byline, an
    # author's name or its venue changes, so this one trigger on the row sees every change.
    "bibliography_paper_next_revision()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.entry_revision = OLD.entry_revision THEN
                NEW.entry_revision := OLD.entry_revision + 1;
            END IF;
            RETURN NEW;
        END $$""",
    # A paper's awards are in its RIS record, its CSL-JSON item and so in its formatted
    # citations: giving, taking or renaming an award changes the paper's stored entries.
    "bibliography_paper_awards_changed()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
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
    "bibliography_award_renamed()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id IN (SELECT paper_id FROM bibliography_paper_awards WHERE award_id = NEW.id);
            RETURN NULL;
        END $$""",
    # The byline's contribution roles are in the BibTeX entry (`author+an`) and the RIS
    # record (a note per role): ticking one, or renaming a role, changes those entries.
    "bibliography_authorship_roles_changed()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE bibliography_paper SET entry_revision = entry_revision + 1
                WHERE id IN (SELECT paper_id FROM bibliography_authorship
                             WHERE id = OLD.authorship_id);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE bibliography_paper SET entry_revision = entry_revision + 1
                WHERE id IN (SELECT paper_id FROM bibliography_authorship
                             WHERE id = NEW.authorship_id);
            END IF;
            RETURN NULL;
        END $$""",
    "bibliography_role_renamed()": """
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE bibliography_paper SET entry_revision = entry_revision + 1
            WHERE id IN (SELECT s.paper_id FROM bibliography_authorship s
                         JOIN bibliography_authorship_roles r ON r.authorship_id = s.id
                         WHERE r.contributionrole_id = NEW.id);
            RETURN NULL;
        END $$""",
    "bibliography_paper_forget_entries()": f"""
        RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                DELETE FROM {ENTRY_STORE_TABLE};
            ELSE
                DELETE FROM {ENTRY_STORE_TABLE} WHERE paper_id IN (SELECT id FROM gone);
            END IF;
            RETURN NULL;
        END $$""",
    "bibliography_author_counts_bylines()": _pg_count_function(
        _pg_published_bylines, _PG_MOVED_BYLINES
    ),
    # Bylines may go in before their paper and out after it (foreign keys are checked at
    # commit; the importer inserts bylines first), so the paper's own writes count too.
    "bibliography_author_counts_papers()": _pg_count_function(
        _pg_bylines_of_published, _PG_PUBLISHED_CHANGED
    ),
}

_PG_TRIGGERS = [
    Trigger(
        "paper_search_document",
        "bibliography_paper",
        "BEFORE INSERT OR UPDATE OF title, abstract, venue_id ON bibliography_paper"
        " FOR EACH ROW EXECUTE FUNCTION bibliography_paper_set_document()",
    ),
    Trigger(
        "authorship_search_document_insert",
        "bibliography_authorship",
        "AFTER INSERT ON bibliography_authorship REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_byline_added()",
    ),
    Trigger(
        "authorship_search_document_update",
        "bibliography_authorship",
        "AFTER UPDATE ON bibliography_authorship REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_byline_changed()",
    ),
    Trigger(
        "authorship_search_document_delete",
        "bibliography_authorship",
        "AFTER DELETE ON bibliography_authorship REFERENCING OLD TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_byline_changed()",
    ),
    Trigger(
        "author_search_document_update",
        "bibliography_author",
        "AFTER UPDATE ON bibliography_author REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_author_changed()",
    ),
    Trigger(
        "venue_search_document_update",
        "bibliography_venue",
        "AFTER UPDATE ON bibliography_venue REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_venue_changed()",
    ),
    Trigger(
        "paper_entry_revision",
        "bibliography_paper",
        "BEFORE UPDATE ON bibliography_paper"
        " FOR EACH ROW EXECUTE FUNCTION bibliography_paper_next_revision()",
    ),
    Trigger(
        "paper_entry_delete",
        "bibliography_paper",
        "AFTER DELETE ON bibliography_paper REFERENCING OLD TABLE AS gone"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_paper_forget_entries()",
    ),
    Trigger(
        "paper_awards_entry_revision",
        "bibliography_paper_awards",
        "AFTER INSERT OR UPDATE OR DELETE ON bibliography_paper_awards"
        " FOR EACH ROW EXECUTE FUNCTION bibliography_paper_awards_changed()",
    ),
    Trigger(
        "award_entry_revision",
        "bibliography_award",
        "AFTER UPDATE OF name ON bibliography_award"
        " FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)"
        " EXECUTE FUNCTION bibliography_award_renamed()",
    ),
    Trigger(
        "authorship_roles_entry_revision",
        "bibliography_authorship_roles",
        "AFTER INSERT OR UPDATE OR DELETE ON bibliography_authorship_roles"
        " FOR EACH ROW EXECUTE FUNCTION bibliography_authorship_roles_changed()",
    ),
    Trigger(
        "role_entry_revision",
        "bibliography_contributionrole",
        "AFTER UPDATE OF name, slug ON bibliography_contributionrole FOR EACH ROW"
        " WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)"
        " EXECUTE FUNCTION bibliography_role_renamed()",
    ),
    Trigger(
        "paper_entry_truncate",
        "bibliography_paper",
        "AFTER TRUNCATE ON bibliography_paper"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_paper_forget_entries()",
    ),
]


# (PostgreSQL refuses transition tables on a trigger with a column list, so the paper's
# UPDATE trigger runs on every update and compares `published` itself.)
_PG_COUNT_TRIGGERS = [
    *(
        Trigger(
            f"authorship_author_count_{operation.lower()}",
            "bibliography_authorship",
            f"AFTER {operation} ON bibliography_authorship REFERENCING {tables}"
            " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_author_counts_bylines()",
        )
        for operation, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ),
    Trigger(
        "authorship_author_count_truncate",
        "bibliography_authorship",
        "AFTER TRUNCATE ON bibliography_authorship"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_author_counts_bylines()",
    ),
    *(
        Trigger(
            f"paper_author_count_{operation.lower()}",
            "bibliography_paper",
            f"AFTER {operation} ON bibliography_paper REFERENCING {tables}"
            " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_author_counts_papers()",
        )
        for operation, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ),
]


def _pg_data_version_trigger(table: str) -> Trigger:
    # Once per statement, however many rows it writes (an import's bulk inserts).
    return Trigger(
        "data_version",
        table,
        f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION bibliography_data_changed()",
    )


# --- SQLite: row triggers (it has no statement triggers or transition tables) -------------

_SQLITE_NEW_VERSION = (
    f"UPDATE {VERSION_TABLE} SET token = lower(hex(randomblob(16))),"
    " changed_at = (julianday('now') - 2440587.5) * 86400.0 WHERE id = 1;"
)


def _sqlite_bump(paper_id: str) -> str:
    return (
        f"UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id = {paper_id};"
    )


# The WHEN clause lets a bump made by the other triggers count once.
_SQLITE_TRIGGERS = [
    Trigger(
        "paper_entry_revision",
        "bibliography_paper",
        "AFTER UPDATE ON bibliography_paper FOR EACH ROW"
        f" WHEN NEW.entry_revision = OLD.entry_revision BEGIN {_sqlite_bump('NEW.id')} END",
    ),
    Trigger(
        "paper_entry_delete",
        "bibliography_paper",
        "AFTER DELETE ON bibliography_paper FOR EACH ROW"
        f" BEGIN DELETE FROM {ENTRY_STORE_TABLE} WHERE paper_id = OLD.id; END",
    ),
    Trigger(
        "authorship_entry_insert",
        "bibliography_authorship",
        f"AFTER INSERT ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_bump('NEW.paper_id')} END",
    ),
    Trigger(
        "authorship_entry_update",
        "bibliography_authorship",
        "AFTER UPDATE ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_bump('OLD.paper_id')} {_sqlite_bump('NEW.paper_id')} END",
    ),
    Trigger(
        "authorship_entry_delete",
        "bibliography_authorship",
        f"AFTER DELETE ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_bump('OLD.paper_id')} END",
    ),
    Trigger(
        "author_entry_update",
        "bibliography_author",
        "AFTER UPDATE ON bibliography_author FOR EACH ROW BEGIN"
        " UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT paper_id FROM bibliography_authorship WHERE author_id = NEW.id); END",
    ),
    Trigger(
        "paper_awards_entry_insert",
        "bibliography_paper_awards",
        "AFTER INSERT ON bibliography_paper_awards FOR EACH ROW"
        f" BEGIN {_sqlite_bump('NEW.paper_id')} END",
    ),
    Trigger(
        "paper_awards_entry_update",
        "bibliography_paper_awards",
        "AFTER UPDATE ON bibliography_paper_awards FOR EACH ROW"
        f" BEGIN {_sqlite_bump('OLD.paper_id')} {_sqlite_bump('NEW.paper_id')} END",
    ),
    Trigger(
        "paper_awards_entry_delete",
        "bibliography_paper_awards",
        "AFTER DELETE ON bibliography_paper_awards FOR EACH ROW"
        f" BEGIN {_sqlite_bump('OLD.paper_id')} END",
    ),
    Trigger(
        "award_entry_update",
        "bibliography_award",
        "AFTER UPDATE OF name ON bibliography_award FOR EACH ROW WHEN OLD.name IS NOT NEW.name"
        " BEGIN UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT paper_id FROM bibliography_paper_awards WHERE award_id = NEW.id); END",
    ),
    Trigger(
        "authorship_roles_entry_insert",
        "bibliography_authorship_roles",
        "AFTER INSERT ON bibliography_authorship_roles FOR EACH ROW BEGIN"
        " UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT paper_id FROM bibliography_authorship WHERE id = NEW.authorship_id); END",
    ),
    Trigger(
        "authorship_roles_entry_update",
        "bibliography_authorship_roles",
        "AFTER UPDATE ON bibliography_authorship_roles FOR EACH ROW BEGIN"
        " UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT paper_id FROM bibliography_authorship"
        " WHERE id IN (OLD.authorship_id, NEW.authorship_id)); END",
    ),
    Trigger(
        "authorship_roles_entry_delete",
        "bibliography_authorship_roles",
        "AFTER DELETE ON bibliography_authorship_roles FOR EACH ROW BEGIN"
        " UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT paper_id FROM bibliography_authorship WHERE id = OLD.authorship_id); END",
    ),
    Trigger(
        "role_entry_update",
        "bibliography_contributionrole",
        "AFTER UPDATE OF name, slug ON bibliography_contributionrole FOR EACH ROW"
        " WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug"
        " BEGIN UPDATE bibliography_paper SET entry_revision = entry_revision + 1 WHERE id IN"
        " (SELECT s.paper_id FROM bibliography_authorship s"
        " JOIN bibliography_authorship_roles r ON r.authorship_id = s.id"
        " WHERE r.contributionrole_id = NEW.id); END",
    ),
    Trigger(
        "venue_entry_update",
        "bibliography_venue",
        "AFTER UPDATE ON bibliography_venue FOR EACH ROW BEGIN"
        " UPDATE bibliography_paper SET entry_revision = entry_revision + 1"
        " WHERE venue_id = NEW.id; END",
    ),
]


def _sqlite_add_to_count(rows: str) -> str:
    """Adds to each author's count the (author_id, delta) rows that `rows` selects (it
    must end in a WHERE clause: SQLite's upsert needs one after a SELECT)."""
    return (
        f"INSERT INTO {COUNT_TABLE} (author_id, papers) {rows}"
        " ON CONFLICT (author_id) DO UPDATE SET papers = papers + excluded.papers;"
    )


def _sqlite_byline_delta(row: str, delta: int) -> str:
    return _sqlite_add_to_count(
        f"SELECT {row}.author_id, {delta} FROM bibliography_paper"
        f" WHERE id = {row}.paper_id AND published"
    )


_SQLITE_COUNT_TRIGGERS = [
    Trigger(
        "authorship_author_count_insert",
        "bibliography_authorship",
        "AFTER INSERT ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_byline_delta('NEW', 1)} END",
    ),
    Trigger(
        "authorship_author_count_update",
        "bibliography_authorship",
        "AFTER UPDATE ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_byline_delta('OLD', -1)} {_sqlite_byline_delta('NEW', 1)} END",
    ),
    Trigger(
        "authorship_author_count_delete",
        "bibliography_authorship",
        "AFTER DELETE ON bibliography_authorship FOR EACH ROW"
        f" BEGIN {_sqlite_byline_delta('OLD', -1)} END",
    ),
    Trigger(
        "paper_author_count_publish",
        "bibliography_paper",
        "AFTER UPDATE OF published ON bibliography_paper FOR EACH ROW"
        " WHEN OLD.published IS NOT NEW.published BEGIN "
        + _sqlite_add_to_count(
            "SELECT author_id, CASE WHEN NEW.published THEN 1 ELSE -1 END"
            " FROM bibliography_authorship WHERE paper_id = NEW.id"
        )
        + " END",
    ),
    # Bylines may go in before their paper and out after it (foreign keys are checked at
    # commit), so the paper's own insert and delete count too.
    Trigger(
        "paper_author_count_insert",
        "bibliography_paper",
        "AFTER INSERT ON bibliography_paper FOR EACH ROW WHEN NEW.published BEGIN "
        + _sqlite_add_to_count(
            "SELECT author_id, 1 FROM bibliography_authorship WHERE paper_id = NEW.id"
        )
        + " END",
    ),
    Trigger(
        "paper_author_count_delete",
        "bibliography_paper",
        "AFTER DELETE ON bibliography_paper FOR EACH ROW WHEN OLD.published BEGIN "
        + _sqlite_add_to_count(
            "SELECT author_id, -1 FROM bibliography_authorship WHERE paper_id = OLD.id"
        )
        + " END",
    ),
]


def _sqlite_data_version_triggers(table: str) -> list[Trigger]:
    return [
        Trigger(
            f"{table}_data_{operation.lower()}",
            table,
            f"AFTER {operation} ON {table} FOR EACH ROW BEGIN {_SQLITE_NEW_VERSION} END",
        )
        for operation in ("INSERT", "UPDATE", "DELETE")
    ]


# --- The whole set -----------------------------------------------------------------------


def model_tables(apps=global_apps) -> list[str]:
    """The tables of the bibliography's models in `apps` (the project's, or a migration
    state's), auto-created m2m tables included: each carries a data-version trigger."""
    try:
        config = apps.get_app_config("bibliography")
    except LookupError:  # a migration state without the app's models (`migrate ... zero`)
        return []
    return sorted(
        {
            model._meta.db_table
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def triggers(vendor: str, tables: list[str]) -> list[Trigger]:
    """Every trigger the database `vendor` gets, for the tables `tables` (the models' and,
    once it exists, the count table)."""
    counted = COUNT_TABLE in tables
    tables = [table for table in tables if table != COUNT_TABLE]
    if vendor == "postgresql":
        counts = _PG_COUNT_TRIGGERS if counted else []
        return _PG_TRIGGERS + counts + [_pg_data_version_trigger(table) for table in tables]
    counts = _SQLITE_COUNT_TRIGGERS if counted else []
    return (
        _SQLITE_TRIGGERS
        + counts
        + [t for table in tables for t in _sqlite_data_version_triggers(table)]
    )


def installed_triggers(connection) -> set[tuple[str, str]]:
    """(table, trigger name) of every trigger on a bibliography table, as the database has them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c"
                " ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
                " AND c.relname LIKE 'bibliography\\_%'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name LIKE 'bibliography\\_%' ESCAPE '\\'"
            )
        return set(cursor.fetchall())


def remove(connection, tables: list[str] | None = None) -> None:
    """Drop every trigger (and PostgreSQL function) of this module that exists."""
    tables = [*model_tables(), COUNT_TABLE] if tables is None else tables
    with connection.cursor() as cursor:
        for trigger in triggers(connection.vendor, tables):
            on_table = f" ON {trigger.table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger.name}{on_table}")
        if connection.vendor == "postgresql":
            for signature in _PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {_without_names(signature)}")


def install(connection, tables: list[str] | None = None) -> None:
    """Create every trigger afresh on the tables that exist, give the data a new version,
    empty the stored entries and recount the authors' papers (writes made meanwhile fired
    no trigger)."""
    existing = set(connection.introspection.table_names())
    tables = [*(model_tables() if tables is None else tables), COUNT_TABLE]
    tables = [t for t in tables if t in existing]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        remove(connection, tables)
        if connection.vendor == "sqlite":
            _restore_entry_revision(connection, cursor)
        else:
            for signature, body in _PG_FUNCTIONS.items():
                cursor.execute(f"CREATE FUNCTION {signature} {body}")
        for trigger in triggers(connection.vendor, tables):
            cursor.execute(f"CREATE TRIGGER {trigger.name} {trigger.definition}")
        new_data_version(cursor)
        cursor.execute(f"DELETE FROM {ENTRY_STORE_TABLE}")
        if COUNT_TABLE in tables:
            recount_author_papers(cursor)


def recount_author_papers(cursor) -> None:
    """Count every author's published papers afresh (what the triggers keep up to date)."""
    cursor.execute(f"DELETE FROM {COUNT_TABLE}")
    cursor.execute(
        f"INSERT INTO {COUNT_TABLE} (author_id, papers) SELECT s.author_id, COUNT(*)"
        " FROM bibliography_authorship s JOIN bibliography_paper p ON p.id = s.paper_id"
        " WHERE p.published GROUP BY s.author_id"
    )


def new_data_version(cursor) -> None:
    """Give the data a new version now (creating the version's row if it is missing)."""
    cursor.execute(
        f"INSERT INTO {VERSION_TABLE} (id, token, changed_at) VALUES (1, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET token = excluded.token, changed_at = excluded.changed_at",
        [secrets.token_hex(16), time.time()],
    )


def _restore_entry_revision(connection, cursor) -> None:
    """An SQLite table rebuild keeps only the columns the models know: put the revision
    back. Revisions start again from 0, so the stored entries (emptied by install) could
    otherwise match a revision they were not written from."""
    columns = connection.introspection.get_table_description(cursor, "bibliography_paper")
    if "entry_revision" not in {column.name for column in columns}:
        cursor.execute(
            "ALTER TABLE bibliography_paper ADD COLUMN entry_revision integer NOT NULL DEFAULT 0"
        )


def _without_names(signature: str) -> str:
    """`f(a bigint, b text)` -> `f(bigint, text)`, as DROP FUNCTION takes it."""
    name, _, args = signature.partition("(")
    types = [arg.split()[-1] for arg in args.rstrip(")").split(",") if arg.strip()]
    return f"{name}({', '.join(types)})"


def remove_before_migrate(sender, using, apps=global_apps, **kwargs):
    """pre_migrate: no trigger may name a table that a migration rebuilds."""
    connection = connections[using]
    if _handed_over(connection):
        remove(connection, sorted({*model_tables(apps), *model_tables(), COUNT_TABLE}))


def install_after_migrate(sender, using, apps=global_apps, **kwargs):
    """post_migrate: the triggers again, for the tables the migrated schema has."""
    connection = connections[using]
    if _handed_over(connection):
        install(connection, model_tables(apps))


def _handed_over(connection) -> bool:
    """Whether the schema is at or past the migration that hands the triggers to this
    module (before it, the old migrations' own triggers are in force, and theirs to drop)."""
    return HANDOVER_MIGRATION in MigrationRecorder(connection).applied_migrations()
