# The author facet of the whole list, counted once per write instead of once per page: at
# 100,000 papers, grouping every byline cost 650 ms a cache miss; reading this table, a few.
# Its triggers (and the recount after every migrate) are in bibliography/triggers.py.

from django.db import migrations

CREATE = """
CREATE TABLE bibliography_author_paper_count (
    author_id bigint NOT NULL PRIMARY KEY,
    papers integer NOT NULL
)"""
INDEX = (
    "CREATE INDEX author_paper_count_most ON bibliography_author_paper_count (papers DESC, author_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0009_links_files_featured_topics"),
    ]

    operations = [
        migrations.RunSQL(
            [CREATE, INDEX], reverse_sql="DROP TABLE bibliography_author_paper_count"
        ),
    ]
