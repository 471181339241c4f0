from django.db import migrations

# The stored list items (bibliography/list_rows.py): one row per paper and variant (the
# language, URL prefix and code it was rendered with), used only under the data version it
# was rendered under. Not a model's table, and named outside the `bibliography_` prefix:
# storing an item changes no data, so it must not change the data version. No foreign key:
# a deleted paper is never listed again, and a new paper with its id is stored under
# another data version.

CREATE_SQL = """
    CREATE TABLE list_row_cache (
        paper_id bigint NOT NULL,
        variant varchar(32) NOT NULL,
        version varchar(64) NOT NULL,
        content text NOT NULL,
        PRIMARY KEY (paper_id, variant)
    )"""


class Migration(migrations.Migration):
    dependencies = [
        ("bibliography", "0014_search_rank_document"),
    ]

    operations = [
        migrations.RunSQL(CREATE_SQL, "DROP TABLE list_row_cache"),
    ]
