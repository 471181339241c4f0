# The part of each paper's search document that ranks it (PostgreSQL only, as the document
# itself): title (weight A), venue and author names (B), without the abstract (C). A few
# hundred bytes, so it stays in the row; the whole document of a long abstract is TOASTed,
# and ranking a broad search ("language model", a third of 100,000 papers) read every one.
# A generated column, so it follows the document through every trigger that writes it.

from django.db import migrations

RANK_COLUMN = (
    "ALTER TABLE bibliography_paper ADD COLUMN rank_document tsvector"
    " GENERATED ALWAYS AS (ts_filter(search_document, '{a,b}')) STORED"
)


def add_rank_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RANK_COLUMN)


def drop_rank_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE bibliography_paper DROP COLUMN rank_document")


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0010_author_paper_count"),
    ]

    operations = [migrations.RunPython(add_rank_document, drop_rank_document)]
