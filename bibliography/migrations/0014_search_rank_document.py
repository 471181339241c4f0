# The part of each paper's search document that ranks it (PostgreSQL only, as the document
# itself): title (weight A), venue and author names (B), without the abstract (C). A few
# hundred bytes, so it stays in the row; the whole document of a long abstract is TOASTed,
# and ranking a broad search ("language model", a third of 100,000 papers) read every one.
# A generated column, so it follows the document through every trigger that writes it.
# And `featured` joins the facet counts' index, and the list's orders get indexes a
# page's ids are read from (below).

import django.db.models.expressions
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Q

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
        ("bibliography", "0013_author_is_organization"),
    ]

    operations = [
        migrations.RunPython(add_rank_document, drop_rank_document),
        # The facet counts' index gains `featured`: with it, the counts of a search's
        # matches read the index alone instead of visiting every match's row.
        migrations.RemoveIndex(model_name="paper", name="paper_facets"),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                fields=["published", "year", "venue", "entry_type", "featured", "id"],
                name="paper_facet_columns",
            ),
        ),
        # The list's orders over published papers, from which a page's ids are read alone
        # (views.NearerEndPaginator): a deep page walked the wide rows it skipped.
        migrations.RemoveIndex(
            model_name="paper",
            name="paper_newest",
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                models.OrderBy(
                    models.ExpressionWrapper(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.Func(
                                    models.F("year"),
                                    template="COALESCE(%(expressions)s, -1) * 100000",
                                ),
                                "+",
                                models.Func(
                                    models.F("priority"), template="(%(expressions)s + 100) * 100"
                                ),
                            ),
                            "+",
                            models.Func(models.F("month"), template="COALESCE(%(expressions)s, 0)"),
                        ),
                        output_field=models.IntegerField(),
                    ),
                    descending=True,
                ),
                models.F("title"),
                models.F("id"),
                condition=models.Q(("published", True)),
                include=("year", "month", "priority"),
                name="paper_newest_published",
            ),
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                "year", "month", "title", "id", name="paper_oldest", condition=Q(published=True)
            ),
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                django.db.models.functions.text.Lower("title"),
                models.F("title"),
                models.F("id"),
                condition=models.Q(("published", True)),
                name="paper_by_title",
            ),
        ),
    ]
