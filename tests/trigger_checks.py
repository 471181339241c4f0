"""Checks that the database triggers of bibliography/triggers.py are in place and work."""

from django.db import connection

from bibliography import triggers
from bibliography.caching import data_version
from bibliography.filters import filter_papers
from bibliography.models import Author, Award, ContributionRole, Paper, Topic, Venue
from tests.factories import make_author, make_paper, make_venue


def entry_revision(paper) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT entry_revision FROM bibliography_paper WHERE id = %s", [paper.pk])
        return cursor.fetchone()[0]


def assert_every_table_bumps_the_data_version() -> None:
    """Each table of the app's models has the triggers, and a write to it (raw SQL, no
    Django code in between) gives the data a new version."""
    tables = triggers.model_tables()
    expected = {(t.table, t.name) for t in triggers.triggers(connection.vendor, tables)}
    assert expected - triggers.installed_triggers(connection) == set()
    author = make_author()
    paper = make_paper(authors=[author], venue=make_venue())
    paper.awards.add(Award.objects.create(name="Best Paper", slug=f"best-paper-{paper.pk}"))
    author.name_variants.create(given_name="A.", family_name=author.family_name)
    author.slug_redirects.create(old_slug=f"old-{author.slug}")
    role = ContributionRole.objects.built_in(ContributionRole.EQUAL_CONTRIBUTION)
    paper.authorships.get().roles.add(role)
    paper.topics.add(Topic.objects.create(name=f"Things {paper.pk}", slug=f"things-{paper.pk}"))
    paper.links.create(kind="code", url="https://example.org/code")
    for table in tables:
        before = data_version()
        with connection.cursor() as cursor:
            # SQLite's row triggers need a row to fire: every table gets one above.
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0], f"give {table} a row above, so its trigger can fire"
            cursor.execute(f"UPDATE {table} SET id = id")
        assert data_version() != before, f"a write to {table} left the data version as it was"


def assert_triggers_work() -> None:
    """The data version and the entry revision follow writes to every table that carries
    triggers, and (PostgreSQL) the search document follows the paper's title."""
    assert_every_table_bumps_the_data_version()
    venue = make_venue(name="Old Venue")
    ada = make_author("Lovelace")
    paper = make_paper(title="Before the change", authors=[ada], venue=venue)
    role, _ = ContributionRole.objects.update_or_create(
        slug="co-first", defaults={"name": "co-first author", "symbol": "‡"}
    )
    writes = [
        lambda: Paper.objects.filter(pk=paper.pk).update(title="After the change"),
        lambda: Author.objects.filter(pk=ada.pk).update(family_name="King"),
        lambda: Venue.objects.filter(pk=venue.pk).update(name="New Venue"),
        lambda: paper.authorships.create(author=make_author("Babbage"), position=2),
        lambda: paper.authorships.filter(position=2).update(position=3),
        lambda: paper.authorships.get(position=1).roles.add(role),
        lambda: ContributionRole.objects.filter(pk=role.pk).update(name="shared first place"),
        lambda: paper.authorships.get(position=1).roles.remove(role),
        lambda: paper.authorships.filter(position=3).delete(),
    ]
    for write in writes:
        revision, version = entry_revision(paper), data_version()
        write()
        assert entry_revision(paper) > revision
        assert data_version() != version
    found, _ = filter_papers({"q": "after change"})
    assert paper in found
