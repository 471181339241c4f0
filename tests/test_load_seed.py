"""`manage.py load_seed`, which `make run` calls on every start."""

from io import StringIO

import pytest
from django.core.management import call_command

from bibliography.models import Author, Authorship, Paper

pytestmark = pytest.mark.django_db


def load_seed(*args):
    out = StringIO()
    call_command("load_seed", *args, stdout=out)
    return out.getvalue()


def counts():
    return Paper.objects.count(), Author.objects.count(), Authorship.objects.count()


def test_loads_the_seed_into_an_empty_database_once_and_keeps_edits():
    assert "20 papers" in load_seed()
    loaded = counts()
    paper = Paper.objects.get(citation_key="biderman2022datasheet")
    paper.title = "Edited in the admin"
    paper.save()

    assert "not loaded" in load_seed()

    assert counts() == loaded
    paper.refresh_from_db()
    assert paper.title == "Edited in the admin"


def test_force_reloads_without_duplicating():
    load_seed()
    loaded = counts()
    load_seed("--force")
    assert counts() == loaded
