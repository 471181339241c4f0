"""Model rules: constraints hold in the database, keys and slugs are generated."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bibliography.keys import citation_key_base
from bibliography.models import Author, Authorship, Paper
from tests.factories import make_author, make_paper

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field,value",
    [("year", 1200), ("year", 3000), ("month", 13), ("doi", "not-a-doi"), ("arxiv_id", "abc")],
)
def test_database_refuses_values_outside_the_rules(field, value):
    paper = make_paper()
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.filter(pk=paper.pk).update(**{field: value})


def test_full_clean_explains_a_bad_doi_and_year():
    paper = Paper(title="T", citation_key="k", year=3000, doi="nonsense")
    with pytest.raises(ValidationError) as error:
        paper.full_clean()
    assert "doi" in error.value.message_dict
    assert "year" in error.value.message_dict


def test_doi_link_is_stored_as_bare_doi():
    paper = Paper(title="T", citation_key="k", doi=" https://doi.org/10.1145/3511808.3557079 ")
    paper.full_clean()
    assert paper.doi == "10.1145/3511808.3557079"


def test_doi_is_unique_regardless_of_case():
    make_paper(doi="10.1000/ABC")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_paper(doi="10.1000/abc")


def test_empty_identifiers_do_not_collide():
    make_paper(doi="", arxiv_id="")
    make_paper(doi="", arxiv_id="")
    assert Paper.objects.count() == 2


def test_authorship_position_and_author_are_unique_per_paper():
    author, other = make_author("Gao"), make_author("Phang")
    paper = make_paper(authors=[author])
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorship.objects.create(paper=paper, author=other, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorship.objects.create(paper=paper, author=author, position=2)


def test_citation_key_base_uses_family_year_and_first_significant_word():
    assert citation_key_base("Biderman", 2022, "Datasheet for the Pile") == "biderman2022datasheet"
    assert citation_key_base("Laurençon", 2022, "The BigScience ROOTS Corpus") == (
        "laurencon2022bigscience"
    )
    assert citation_key_base("", None, "") == "anonuntitled"


def test_generated_keys_get_letter_suffixes_on_collision():
    keys = []
    for _ in range(3):
        paper = make_paper(title="Datasheet for the Pile", year=2022)
        Authorship.objects.create(paper=paper, author=make_author("Biderman"), position=1)
        paper.citation_key = ""
        paper.save()
        keys.append(paper.citation_key)
    assert keys == ["biderman2022datasheet", "biderman2022datasheeta", "biderman2022datasheetb"]


def test_slugs_are_unique():
    first, second = make_paper(title="Same title"), make_paper(title="Same title")
    assert (first.slug, second.slug) == ("same-title", "same-title-2")


def test_author_name_keeps_particle_and_suffix():
    author = Author(given_name="Oskar", particle="van der", family_name="Wal", suffix="Jr.")
    assert author.name == "Oskar van der Wal, Jr."


def test_published_hides_drafts():
    public, draft = make_paper(), make_paper(published=False)
    assert list(Paper.objects.published()) == [public]
    assert draft not in Paper.objects.published()
