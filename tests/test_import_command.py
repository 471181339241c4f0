"""manage.py import_bibtex: all or nothing, --skip-invalid, --dry-run, bad files, matching."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from bibliography.models import Author, Authorship, Paper, Venue
from tests.factories import make_author, make_paper, make_venue

GOOD = r"""
@string{acl = "Proceedings of the 60th Annual Meeting of the ACL"}
@article{good1,
  title = {Sch{\"o}nfinkel's {LaTeX} \& You},
  author = {Biderman, Stella and van der Berg, Jr, Jan and {BigScience Workshop} and others},
  journal = {Journal of Things}, year = 2022, month = jul, doi = {https://doi.org/10.1234/ABC},
  pages = {95--136}, note = "kept " # acl,
}
@inproceedings{good2,
  title = {Second}, author = {Stella Biderman}, booktitle = acl, year = {2023},
  eprint = {2204.06745v2}, archiveprefix = {arXiv}, primaryclass = {cs.CL},
}
"""
BAD = r"""
@article{bad1, title = {Bad DOI}, doi = {not-a-doi}, year = 2020}
@article{bad2, title = {Bad eprint}, eprint = {12345}, archiveprefix = {arXiv}}
"""


def write(tmp_path, text, name="refs.bib", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bibtex", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_imports_entries_with_names_venues_and_identifiers(tmp_path):
    make_author("Biderman", "Stella")
    run(write(tmp_path, GOOD))
    first = Paper.objects.get(citation_key="good1")
    assert first.title == "Schönfinkel's LaTeX & You"
    assert (first.year, first.month, first.doi, first.pages) == (2022, 7, "10.1234/ABC", "95--136")
    assert first.extra_fields == {"note": "kept Proceedings of the 60th Annual Meeting of the ACL"}
    assert first.authors_partial and first.venue.kind == Venue.Kind.JOURNAL
    people = [
        (a.author.given_name, a.author.particle, a.author.family_name, a.author.suffix)
        for a in first.ordered_authorships
    ]
    assert people == [
        ("Stella", "", "Biderman", ""),
        ("Jan", "van der", "Berg", "Jr"),
        ("", "", "BigScience Workshop", ""),
    ]
    second = Paper.objects.get(citation_key="good2")
    assert (second.arxiv_id, second.arxiv_primary_class) == ("2204.06745v2", "cs.CL")
    assert (
        second.booktitle == second.venue.name == "Proceedings of the 60th Annual Meeting of the ACL"
    )
    # "Biderman, Stella" and "Stella Biderman" are the seeded person, not two new ones.
    assert Author.objects.filter(family_name="Biderman").count() == 1


@pytest.mark.django_db
def test_existing_venue_is_matched_by_name_or_short_name(tmp_path):
    venue = make_venue(name="Journal of Things", short_name="JoT")
    run(write(tmp_path, "@article{a, title={A}, journal={JoT}, year=2020}"))
    assert Paper.objects.get().venue == venue and Venue.objects.count() == 1


@pytest.mark.django_db
def test_errors_mean_nothing_is_written_and_each_is_reported(tmp_path):
    path = write(tmp_path, GOOD + BAD)
    with pytest.raises(CommandError, match="2 entries cannot be imported; nothing was written"):
        run(path)
    assert Paper.objects.count() == 0 and Author.objects.count() == 0


@pytest.mark.django_db
def test_error_report_names_line_and_reason(tmp_path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_bibtex", str(write(tmp_path, BAD)), stderr=err, stdout=StringIO())
    assert "refs.bib, line 2: error `bad1`: doi `not-a-doi` is not a DOI" in err.getvalue()
    assert (
        "refs.bib, line 3: error `bad2`: eprint `12345` is not an arXiv identifier"
        in err.getvalue()
    )


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_entries(tmp_path):
    out, err = run(write(tmp_path, GOOD + BAD), "--skip-invalid")
    assert set(Paper.objects.values_list("citation_key", flat=True)) == {"good1", "good2"}
    assert "2 created" in out and "2 failed" in out and "bad2" in err


@pytest.mark.django_db
def test_hostile_values_are_reported_not_crashing(tmp_path):
    long_key, long_title = "k" * 10_000, "T" * 1_000_000
    text = f"@misc{{{long_key}, title={{x}}}}\n@misc{{big, title={{{long_title}}}}}\n"
    out, err = run(write(tmp_path, text + GOOD), "--skip-invalid")
    assert "citation key is 10,000 characters long" in err
    assert "title is 1,000,000 characters long" in err
    assert Paper.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    out, _ = run(write(tmp_path, GOOD), "--dry-run")
    assert "would create 2" in out
    assert Paper.objects.count() == Author.objects.count() == Venue.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_with_errors_fails_like_the_real_run(tmp_path):
    with pytest.raises(CommandError, match="Dry run: 2 entries cannot be imported"):
        run(write(tmp_path, GOOD + BAD), "--dry-run")


@pytest.mark.django_db
def test_database_error_half_way_rolls_everything_back(tmp_path, monkeypatch):
    make_author("Existing", "Person")
    real_bulk_create = Authorship.objects.bulk_create

    def failing_bulk_create(*args, **kwargs):
        raise DatabaseError("disk full")

    # Venues, authors and papers are written by then; the authorships step fails.
    monkeypatch.setattr(Authorship.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(CommandError, match="disk full.*nothing was written"):
        run(write(tmp_path, GOOD))
    assert Paper.objects.count() == 0 and Venue.objects.count() == 0
    assert list(Author.objects.values_list("family_name", flat=True)) == ["Existing"]
    assert real_bulk_create is not None


@pytest.mark.django_db
def test_duplicates_by_doi_arxiv_and_title_against_the_database(tmp_path):
    make_paper(title="Other title", doi="10.1234/abc")  # DOIs match whatever their case
    make_paper(title="Another", arxiv_id="2204.06745")  # versions of one preprint match
    make_paper(title="Third: a Study!", year=2021)
    text = r"""
    @article{d1, title={Other Title}, doi={10.1234/ABC}, year=2020}
    @misc{d2, title={Another}, eprint={2204.06745v3}, archiveprefix={arXiv}}
    @misc{d3, title={THIRD -- a study}, year=2021}
    @misc{d4, title={Third: a study}, year=2020}
    """
    out, _ = run(write(tmp_path, text), "-v", "2")
    assert "d1`: same DOI as" in out and "d2`: same arXiv id as" in out
    assert "d3`: same title and year as" in out
    assert Paper.objects.filter(citation_key="d4").exists() and Paper.objects.count() == 4


@pytest.mark.django_db
def test_update_fills_empty_fields_only(tmp_path):
    paper = make_paper(title="Known", year=2020, pages="", volume="7", entry_type="article")
    run(write(tmp_path, "@article{k, title={Known}, year=2020, pages={1--2}, volume={9}}"))
    paper.refresh_from_db()
    assert (paper.pages, paper.volume) == ("1--2", "7")


@pytest.mark.django_db
def test_repeated_keys_and_repeats_within_the_file(tmp_path):
    make_paper(title="Taken", citation_key="same")
    text = """
    @misc{same, title={New work}, year=2020}
    @misc{same, title={Newer work}, year=2020}
    @misc{copy, title={New work}, year=2020, url={https://example.org}}
    """
    run(write(tmp_path, text))
    keys = set(Paper.objects.values_list("citation_key", flat=True))
    assert keys == {"same", "samea", "sameb"}
    # The copy added its URL to the first, instead of making a second paper.
    assert Paper.objects.get(citation_key="samea").url == "https://example.org"


@pytest.mark.django_db
def test_reimport_creates_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    counts = Paper.objects.count(), Author.objects.count(), Venue.objects.count()
    out, _ = run(path)
    assert "0 created, 0 updated, 2 skipped" in out
    assert (Paper.objects.count(), Author.objects.count(), Venue.objects.count()) == counts


@pytest.mark.django_db
def test_several_files_share_macros_and_crossrefs_in_order(tmp_path):
    macros = write(tmp_path, '@string{pub = "ACM Press"}', "macros.bib")
    entries = write(
        tmp_path,
        "@inproceedings{child, title={Child}, crossref={parent}, publisher=pub}",
        "entries.bib",
    )
    parents = write(
        tmp_path,
        "@proceedings{parent, title={Proc. of Things}, year=1999, month=dec}",
        "parents.bib",
    )
    run(macros, entries, parents)
    child = Paper.objects.get(citation_key="child")
    assert (child.publisher, child.booktitle, child.year, child.month) == (
        "ACM Press",
        "Proc. of Things",
        1999,
        12,
    )


@pytest.mark.django_db
def test_unknown_entry_type_is_kept_as_misc(tmp_path):
    out, _ = run(write(tmp_path, "@software{s, title={Tool}, version={2}}"), "-v", "2")
    paper = Paper.objects.get()
    assert paper.entry_type == "misc" and paper.extra_fields == {"version": "2"}
    assert "unknown entry type @software imported as @misc" in out


@pytest.mark.django_db
def test_file_content_is_data_only(tmp_path):
    run(write(tmp_path, r"@misc{x, title={\input{/etc/passwd} and \include{secrets}}}"))
    assert Paper.objects.get().title == r"\input{/etc/passwd} and \include{secrets}"


@pytest.mark.django_db
def test_latin1_file_is_read_with_a_note(tmp_path):
    _, err = run(write(tmp_path, "@misc{x, title={Café}, author={Gödel, Kurt}}", encoding="cp1252"))
    assert "not valid UTF-8" in err and "cp1252" in err
    assert Paper.objects.get().title == "Café"
    assert Author.objects.get().family_name == "Gödel"


@pytest.mark.django_db
def test_a_file_that_is_not_even_cp1252_is_read_as_latin1(tmp_path):
    # 0x81 is no character in cp1252; latin-1 has one for every byte.
    path = tmp_path / "odd.bib"
    path.write_bytes(b"@misc{x, title={Caf\xe9 \x81}}\n")
    _, err = run(path)
    assert "not valid UTF-8" in err and "latin-1" in err
    assert Paper.objects.get().title == "Café \x81"


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.BIBTEX_IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="the import limit is 100 bytes"):
        run(write(tmp_path, GOOD))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a binary file"),
        (b'{"title": "JSON, not BibTeX"}', "is not BibTeX"),
    ],
)
def test_not_bibtex_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "file.bib"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)


@pytest.mark.django_db
def test_missing_file_and_directory(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.bib")
    with pytest.raises(CommandError, match="is a directory"):
        run(tmp_path)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_file(tmp_path, django_assert_max_num_queries):
    def entries(n, offset):
        return "\n".join(
            f"@article{{e{i}, title={{Paper {i}}},"
            f" author={{Person{i}, Ann and Shared{offset}, Bo}},"
            f" journal={{J{offset + i % 3}}}, year=2020}}"
            for i in range(offset, offset + n)
        )

    small, large = (
        write(tmp_path, entries(3, 0), "s.bib"),
        write(tmp_path, entries(60, 100), "l.bib"),
    )
    with django_assert_max_num_queries(20) as small_run:
        run(small)
    with django_assert_max_num_queries(20) as large_run:
        run(large)
    small_sql = [q["sql"][:60] for q in small_run.captured_queries]
    large_sql = [q["sql"][:60] for q in large_run.captured_queries]
    # 20 times the entries: the same queries, plus at most a few more insert batches
    # (SQLite takes 999 parameters per statement, so ~36 papers per INSERT).
    assert len(small_sql) <= len(large_sql) <= len(small_sql) + 3, (small_sql, large_sql)
    assert Paper.objects.count() == 63


@pytest.mark.django_db
def test_another_version_of_a_work_does_not_lend_it_its_venue_details(tmp_path):
    article = make_paper(title="Known", year=2020, entry_type="article", pages="")
    run(
        write(
            tmp_path, "@inproceedings{k, title={Known}, year=2020, booktitle={Proc.}, pages={1--2}}"
        )
    )
    article.refresh_from_db()
    assert (article.booktitle, article.pages) == ("", "")
    assert Paper.objects.count() == 1


@pytest.mark.django_db
def test_a_book_and_an_article_of_one_title_are_two_works(tmp_path):
    make_paper(title="Lorem Ipsum", year=2020, entry_type="article")
    run(write(tmp_path, "@book{b, title={Lorem Ipsum}, year=2020, publisher={P}}"))
    assert Paper.objects.count() == 2


def test_import_makes_taken_keys_and_slugs_free_by_the_rules_an_editor_save_uses(db, tmp_path):
    """One rule each (keys.py): a taken key gets a letter, a taken slug a number."""
    make_paper(title="Same title", citation_key="smith2020same")
    make_paper(title="Same title", year=2019, citation_key="smith2020samea")
    path = tmp_path / "same.bib"
    path.write_text("@misc{smith2020same, title = {Same title}, year = 2021}\n")
    call_command("import_bibtex", str(path), "--no-progress", stdout=StringIO())
    imported = Paper.objects.get(year=2021)
    saved = make_paper(title="Same title", year=2018)
    assert imported.citation_key == "smith2020sameb"
    assert (imported.slug, saved.slug) == ("same-title-3", "same-title-4")


@pytest.mark.django_db
def test_a_recorded_name_variant_is_the_same_person(tmp_path):
    stella = make_author("Biderman", "Stella")
    stella.name_variants.create(given_name="S. R.", family_name="Biderman")
    source = write(
        tmp_path,
        "@article{pile, title={The Pile}, author={Biderman, S. R. and Newcomer, Bo},"
        " journal={J}, year={2020}}",
    )
    run(source)
    paper = Paper.objects.get(title="The Pile")
    byline = [a.author_id for a in paper.ordered_authorships]
    assert byline == [stella.pk, Author.objects.get(family_name="Newcomer").pk]
    assert Author.objects.filter(family_name="Biderman").count() == 1
