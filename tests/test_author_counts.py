"""The author paper counts that the triggers keep (bibliography/triggers.py, read by the
whole list's author facet) equal a recount after every kind of write: admin edits and
actions, ORM saves and bulk writes, the import command, raw SQL, deletes, publish toggles."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bibliography import triggers
from bibliography.facets import compute_facets
from bibliography.filters import filter_papers
from bibliography.models import Author, Authorship, Paper
from tests.admin_forms import BYLINE, admin_form_data, change_url
from tests.factories import make_author, make_paper

pytestmark = pytest.mark.django_db


def stored_counts() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT author_id, papers FROM {triggers.COUNT_TABLE} WHERE papers <> 0")
        return dict(cursor.fetchall())


def recounted() -> dict[int, int]:
    bylines = Authorship.objects.filter(paper__published=True).values_list("author_id", flat=True)
    counts = {}
    for author_id in bylines:
        counts[author_id] = counts.get(author_id, 0) + 1
    return counts


def assert_counts_right():
    assert stored_counts() == recounted()


@pytest.fixture
def editor(client):
    client.force_login(User.objects.create_superuser("editor"))
    return client


@pytest.fixture
def library():
    ada, grace, alan = make_author("Lovelace"), make_author("Hopper"), make_author("Turing")
    first = make_paper(title="Engines", authors=[ada, grace])
    second = make_paper(title="Compilers", authors=[grace, alan])
    draft = make_paper(title="Drafted", authors=[alan], published=False)
    assert_counts_right()
    assert stored_counts() == {ada.pk: 1, grace.pk: 2, alan.pk: 1}
    return first, second, draft


def test_the_triggers_are_installed():
    tables = [*triggers.model_tables(), triggers.COUNT_TABLE]
    expected = {(t.table, t.name) for t in triggers.triggers(connection.vendor, tables)}
    counting = {name for _, name in expected if "author_count" in name}
    assert counting, "the count triggers are part of the set"
    assert expected - triggers.installed_triggers(connection) == set()


def test_orm_and_bulk_writes_and_publish_toggles(library):
    first, second, draft = library
    writes = [
        lambda: Paper.objects.filter(pk=draft.pk).update(published=True),
        lambda: Paper.objects.filter(pk__in=[first.pk, second.pk]).update(published=False),
        lambda: Paper.objects.update(published=True),
        lambda: Authorship.objects.bulk_create(
            Authorship(paper=p, author=make_author(), position=9) for p in (first, draft)
        ),
        lambda: Authorship.objects.filter(position=9).update(author=make_author("Moved")),
        lambda: second.authorships.filter(position=1).delete(),
        lambda: Paper.objects.filter(pk=first.pk).delete(),
        lambda: Author.objects.filter(authorships__isnull=True).delete(),
        lambda: draft.save(),
    ]
    for write in writes:
        write()
        assert_counts_right()


def test_raw_sql_writes(library):
    first, second, draft = library
    statements = [
        ("UPDATE bibliography_paper SET published = %s", [False]),
        ("UPDATE bibliography_paper SET published = %s WHERE id = %s", [True, second.pk]),
        (
            "UPDATE bibliography_authorship SET paper_id = %s, position = 7 WHERE paper_id = %s",
            [first.pk, draft.pk],
        ),
        ("DELETE FROM bibliography_authorship WHERE paper_id = %s", [second.pk]),
    ]
    for sql, params in statements:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        assert_counts_right()


def test_bylines_written_before_their_paper_and_after_it(library):
    """Foreign keys are checked at commit: the importer inserts bylines before their paper
    on PostgreSQL, and raw SQL may delete a paper before its bylines."""
    first, _, _ = library
    author = make_author()
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) + 100 FROM bibliography_paper")
        pk = cursor.fetchone()[0]
        Authorship.objects.bulk_create([Authorship(paper_id=pk, author=author, position=1)])
        Paper.objects.bulk_create([Paper(pk=pk, title="Late", slug="late", citation_key="late")])
        assert_counts_right()
        cursor.execute("DELETE FROM bibliography_paper WHERE id = %s", [first.pk])
        cursor.execute("DELETE FROM bibliography_authorship WHERE paper_id = %s", [first.pk])
        assert_counts_right()


def test_admin_edits_actions_and_deletes(editor, library):
    first, second, draft = library
    data = admin_form_data(editor.get(change_url(first)))
    data[f"{BYLINE}-0-DELETE"] = "on"
    data["published"] = ""
    assert editor.post(change_url(first), data).status_code == 302
    assert_counts_right()

    changelist = reverse("admin:bibliography_paper_changelist")
    for action in ("publish", "unpublish", "publish"):
        response = editor.post(
            changelist,
            {"action": action, "_selected_action": [first.pk, second.pk, draft.pk]},
        )
        assert response.status_code == 302
        assert_counts_right()

    delete_url = reverse("admin:bibliography_paper_delete", args=[second.pk])
    assert editor.post(delete_url, {"post": "yes"}).status_code == 302
    assert_counts_right()


def test_the_import_command(tmp_path, library):
    bib = tmp_path / "new.bib"
    bib.write_text(
        "@article{a, title={Looms}, author={Lovelace, Ada and Babbage, Charles}, year=2020}\n"
        "@article{b, title={Cards}, author={Babbage, Charles}, year=2021}\n"
    )
    call_command("import_bibtex", str(bib), verbosity=0)
    assert_counts_right()
    assert Paper.objects.filter(title="Cards").exists()


def test_a_migrate_recounts_what_was_written_without_triggers(library):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {triggers.COUNT_TABLE}")
    triggers.install(connection)
    assert_counts_right()


def test_the_whole_lists_author_facet_equals_a_count_of_the_bylines(client, library):
    """Read from the table on the unfiltered list, counted from the bylines once any
    parameter narrows it: both give the same values."""
    _, filterset = filter_papers({})
    stored = next(f for f in compute_facets(filterset) if f.name == "author")
    _, narrowed = filter_papers({"year_from": "1500"})
    counted = next(f for f in compute_facets(narrowed) if f.name == "author")
    assert narrowed.narrowed_without("author") and not filterset.narrowed_without("author")
    assert [(v.value, v.count) for v in stored.values] == [
        (v.value, v.count) for v in counted.values
    ]
    assert stored.total == counted.total == 3
