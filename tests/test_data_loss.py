"""No way to lose the bibliography: backups restore whole, failed imports leave no trace.

- `manage.py dumpdata bibliography` -> flush -> `loaddata` gives back every field of every
  object (papers, drafts too, bylines, venues, awards), and the restored site keeps working.
- `manage.py export_bibtex` -> `import_bibtex` into an empty database -> `export_bibtex`
  gives the same file, byte for byte.
- An import that fails half-way through its writes (the database refuses a batch after
  others went in) leaves the database exactly as it was, through the command and the admin.

(tests/test_import_command.py already fails the authorship step of the command; the cases
here fail the paper batch itself, and the update step, and go through the admin page too.)
"""

from contextlib import contextmanager, nullcontext
from datetime import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.urls import reverse

from bibliography.importing import applying
from bibliography.models import Author, Authorship, Award, Paper, PaperLink, Topic, Venue
from tests.factories import make_author, make_paper, make_venue
from tests.vendored import CORPUS, vendored_file

pytestmark = pytest.mark.django_db

XAMPL = vendored_file(CORPUS / "pybtex" / "xampl.bib")
MODELS = (Paper, Author, Venue, Award, Authorship, Topic, PaperLink)


def everything() -> dict:
    """Every field of every object of the app, by model and primary key.

    Times are taken to the millisecond: that is what dumpdata's JSON keeps of them
    (DjangoJSONEncoder writes ECMA-262 times), and all a restore can give back. A paper's
    awards are the (paper, award) pairs; the link table's own ids carry no data.
    """
    state = {
        model._meta.label: {row["id"]: _to_milliseconds(row) for row in model.objects.values()}
        for model in MODELS
    }
    state["awards of papers"] = set(Paper.awards.through.objects.values_list("paper", "award"))
    state["topics of papers"] = set(Paper.topics.through.objects.values_list("paper", "topic"))
    return state


def _to_milliseconds(row: dict) -> dict:
    return {
        name: value.replace(microsecond=value.microsecond // 1000 * 1000)
        if isinstance(value, datetime)
        else value
        for name, value in row.items()
    }


def import_files(*paths, skip_invalid=True):
    args = [*map(str, paths), "--no-progress"] + (["--skip-invalid"] if skip_invalid else [])
    call_command("import_bibtex", *args, stdout=StringIO(), stderr=StringIO())


def export_bibtex(tmp_path, name) -> str:
    target = tmp_path / name
    call_command("export_bibtex", output=str(target), stdout=StringIO())
    return target.read_text(encoding="utf-8")


def empty_the_database():
    call_command("flush", interactive=False, verbosity=0)
    assert not any(model.objects.exists() for model in (*MODELS, Paper.awards.through))


def dump_flush_load(tmp_path):
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "bibliography", output=str(backup), verbosity=0)
    empty_the_database()
    call_command("loaddata", str(backup), verbosity=0)


@pytest.fixture
def with_a_draft_and_extras(db):
    """What the seed lacks: a draft, an award on a paper, extra fields, a partial byline,
    a topic, a link, a selected paper with a priority."""
    venue = make_venue(name="Workshop on Backups", kind=Venue.Kind.WORKSHOP)
    award = Award.objects.create(name="Best Restore", kind=Award.Kind.ORAL, description="Yes")
    draft = make_paper(
        authors=[make_author("Drafter", "Dana", orcid="0000-0002-1825-0097")],
        title="Unfinished",
        published=False,
        venue=venue,
        extra_fields={"note": "kept", "series": "LNCS"},
        authors_partial=True,
        month=3,
        featured=True,
        featured_order=2,
        priority=-4,
    )
    draft.awards.add(award)
    draft.topics.add(Topic.objects.create(name="Backups", description="Restored whole."))
    PaperLink.objects.create(paper=draft, kind="custom", label="Notes", url="https://example.org")
    return draft


# A real flush: PostgreSQL will not TRUNCATE inside the test's transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", ["seed", "xampl"])
def test_dumpdata_then_loaddata_into_an_empty_database_restores_every_field(
    request, tmp_path, with_a_draft_and_extras, source
):
    if source == "seed":
        request.getfixturevalue("seed")
    else:
        import_files(XAMPL)
    before = everything()
    assert len(before["bibliography.Paper"]) > 10

    dump_flush_load(tmp_path)

    assert everything() == before
    # The restored database goes on working: new rows get fresh ids (sequences were reset).
    added = make_paper(authors=[make_author("After", "Restore")], title="Written after")
    assert added.pk not in before["bibliography.Paper"]


# A real flush: PostgreSQL will not TRUNCATE inside the test's transaction.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("source", ["seed", "xampl"])
def test_export_then_import_into_an_empty_database_gives_the_same_bibtex(request, tmp_path, source):
    if source == "seed":
        request.getfixturevalue("seed")
    else:
        import_files(XAMPL)
    first = export_bibtex(tmp_path, "first.bib")
    assert first.count("\n@") + 1 == Paper.objects.published().count()

    empty_the_database()
    import_files(tmp_path / "first.bib", skip_invalid=False)

    assert export_bibtex(tmp_path, "second.bib") == first


def writes_some_then_fails(manager, method: str, monkeypatch, keep: int):
    """Patch `manager.<method>` (a bulk write) to write the first `keep` objects for real and
    then fail the way a full disk fails: the rest of the import never gets written."""
    real = getattr(manager, method)

    def half_done(objs, *args, **kwargs):
        objs = list(objs)
        if keep:
            real(objs[:keep], *args, **kwargs)
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(manager, method, half_done)


@contextmanager
def database_refuses_insert(table: str, number: int):
    """The database runs the first `number - 1` INSERTs into `table`, then fails the way a
    full disk fails; caught at the cursor, whatever Python code sends the statement."""
    inserts = 0

    def refuse(execute, sql, params, many, context):
        nonlocal inserts
        if sql.startswith(f'INSERT INTO "{table}"'):
            inserts += 1
            if inserts == number:
                raise DatabaseError("could not extend file: No space left on device")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def many_entries(count: int, existing_title: str) -> str:
    entries = [
        f"@article{{new{n}, title={{Fresh paper number {n}}}, author={{Newcomer{n}, Nora}}, "
        f"journal={{Journal {n % 3}}}, year={{2020}}}}"
        for n in range(count)
    ]
    # An entry matching a paper already here: the import fills in its empty pages (an update).
    entries.append(f"@article{{old, title={{{existing_title}}}, year=2021, pages={{1--9}}}}")
    return "\n".join(entries)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 5, so that 12 new papers take three INSERTs."""
    monkeypatch.setattr(applying, "BATCH_SIZE", 5)


@pytest.mark.parametrize("step", ["papers", "updates"])
def test_a_command_import_failing_half_way_leaves_the_database_as_it_was(
    tmp_path, monkeypatch, small_batches, seed, step
):
    existing = make_paper(title="Known already", year=2021, entry_type="article")
    before = everything()
    path = tmp_path / "many.bib"
    path.write_text(many_entries(12, existing.title), encoding="utf-8")
    refusal = nullcontext()
    if step == "papers":
        # Two batches of new papers are written, then the database refuses the third.
        refusal = database_refuses_insert("bibliography_paper", 3)
    else:
        # Everything else is written; the last step, filling in the known paper, fails.
        writes_some_then_fails(Paper.objects, "bulk_update", monkeypatch, keep=0)

    with refusal, pytest.raises(CommandError, match="No space left on device.*nothing was written"):
        import_files(path, skip_invalid=False)
    assert everything() == before


def test_an_admin_import_failing_half_way_leaves_the_database_as_it_was(
    client, monkeypatch, small_batches, seed
):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", None))
    existing = make_paper(title="Known already", year=2021, entry_type="article")
    before = everything()
    url = reverse("admin:bibliography_paper_import_bibtex")
    upload = SimpleUploadedFile("many.bib", many_entries(12, existing.title).encode())
    preview = client.post(url, {"file": upload})
    digest = preview.context["confirm_form"].initial["digest"]
    # Papers, authors and venues are in, and some bylines, when the database gives up.
    writes_some_then_fails(Authorship.objects, "bulk_create", monkeypatch, keep=6)

    response = client.post(url, {"confirm": "Import", "digest": digest}, follow=True)

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert everything() == before
