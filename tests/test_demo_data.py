"""`manage.py generate_demo_data`: counts, repeatability, the demo marker, bad arguments."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from bibliography.demo_data import DEMO_PREFIX
from bibliography.models import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    Author,
    Authorship,
    Award,
    Paper,
    Venue,
)
from tests.factories import make_paper, make_venue

N = 200


def generate(*args):
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the generator decides, without database ids."""
    papers = list(
        Paper.objects.order_by("slug").values_list(
            "slug", "title", "citation_key", "year", "month", "doi", "arxiv_id", "published",
            "venue__slug", "abstract", "entry_type",
        )
    )  # fmt: skip
    bylines = list(
        Authorship.objects.order_by("paper__slug", "position").values_list(
            "paper__slug", "position", "author__slug", "roles__slug"
        )
    )
    awards = list(Paper.awards.through.objects.order_by("paper__slug", "award__slug").values_list(
        "paper__slug", "award__slug"
    ))  # fmt: skip
    return papers, bylines, awards


@pytest.mark.django_db
def test_makes_the_asked_number_of_realistic_papers():
    out = generate("--papers", str(N), "--seed", "7")

    assert Paper.objects.count() == N
    assert f"papers {N:,}/{N:,}" in out  # progress is shown
    # About N/3 people, each on at least one paper.
    assert 0.25 * N <= Author.objects.count() <= N / 3 + 1
    assert not Author.objects.filter(authorships__isnull=True).exists()
    assert Venue.objects.count() == 200
    assert set(Venue.objects.values_list("kind", flat=True)) == set(Venue.Kind.values)

    sizes = sorted(Paper.objects.annotate(n=Count("authorships")).values_list("n", flat=True))
    assert sizes[0] >= 1
    assert sizes[-2] <= 12  # a regular byline
    assert sizes[-1] > 12  # and one big collaboration
    years = Paper.objects.values_list("year", flat=True)
    assert min(years) >= 1995 and max(years) <= 2026
    titles = Paper.objects.values_list("title", flat=True)
    assert all(6 <= len(title.split()) <= 14 for title in titles)
    words = [len(p.split()) for p in Paper.objects.values_list("abstract", flat=True)]
    assert 120 <= sum(words) / len(words) <= 190

    with_doi = Paper.objects.exclude(doi="").count()
    with_arxiv = Paper.objects.exclude(arxiv_id="").count()
    assert 0.35 * N <= with_doi <= 0.65 * N
    assert 0.2 * N <= with_arxiv <= 0.45 * N
    assert 0 < Paper.objects.filter(published=False).count() < 0.1 * N
    assert 0 < Paper.objects.filter(awards__isnull=False).distinct().count() < 0.1 * N


@pytest.mark.django_db
def test_rows_satisfy_the_model_rules():
    """Bulk inserts skip full_clean; every row must still pass it (and the DB constraints)."""
    generate("--papers", str(N), "--seed", "3")

    for paper in Paper.objects.all():
        paper.full_clean()
        assert paper.slug.startswith(DEMO_PREFIX) and paper.citation_key.startswith(DEMO_PREFIX)
        assert not paper.doi or re.match(DOI_PATTERN, paper.doi)
        assert not paper.arxiv_id or re.match(ARXIV_PATTERN, paper.arxiv_id)
    for author in Author.objects.all():
        author.full_clean()
    for venue in Venue.objects.all():
        venue.full_clean()
    # Bylines are numbered 1..n with no gaps.
    for paper in Paper.objects.prefetch_related("authorships"):
        positions = sorted(a.position for a in paper.authorships.all())
        assert positions == list(range(1, len(positions) + 1))


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate("--papers", "60", "--seed", "11")
    first = snapshot()
    generate("--clear-demo", "--papers", "60", "--seed", "11")
    assert snapshot() == first
    generate("--clear-demo", "--papers", "60", "--seed", "12")
    assert snapshot()[0] != first[0]


@pytest.mark.django_db
def test_clear_demo_keeps_real_papers_and_what_they_use():
    real_venue = make_venue(name="Demo Day", short_name="Demo")  # its slug is "demo", not marked
    real = make_paper(
        title="Demo: a system for reading papers", authors=["Okafor"], venue=real_venue
    )
    generate("--papers", "50", "--seed", "1")
    # An editor puts a demo author on a real paper: that author must survive the clearing.
    borrowed = Author.objects.filter(slug__startswith=DEMO_PREFIX).first()
    Authorship.objects.create(paper=real, author=borrowed, position=2)

    out = generate("--clear-demo")

    assert list(Paper.objects.all()) == [real]
    assert [a.author.family_name for a in real.ordered_authorships] == [
        "Okafor",
        borrowed.family_name,
    ]
    assert real.slug.startswith("demo-") and not real.slug.startswith(DEMO_PREFIX)
    assert list(Venue.objects.all()) == [real_venue]
    assert list(Author.objects.filter(slug__startswith=DEMO_PREFIX)) == [borrowed]
    assert not Award.objects.exists()
    assert "Deleted 50 demo papers" in out and "200 venues and 7 awards" in out
    assert borrowed.slug in out


@pytest.mark.django_db
def test_refuses_to_add_to_existing_demo_data_without_clear_demo():
    generate("--papers", "20")
    with pytest.raises(CommandError, match="--clear-demo"):
        generate("--papers", "20")
    assert Paper.objects.count() == 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--papers", "-1"], "between 1 and"),
        (["--papers", "0"], "between 1 and"),
        (["--papers", "abc"], "invalid int value"),
        (["--papers", "10000000000"], "between 1 and"),
        (["--papers", "5", "--seed", "-3"], "--seed"),
        ([], "--papers N"),
    ],
)
def test_bad_arguments_give_a_clear_error_and_change_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not Paper.objects.exists() and not Venue.objects.exists()


def test_generation_leaves_the_planner_statistics_up_to_date(db):
    generate("--papers", str(N), "--seed", "3")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'bibliography_authorship'"
            )
            assert cursor.fetchone()[0] == Authorship.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'bibliography_authorship'")
            assert cursor.fetchall(), "no statistics: the planner guesses"
