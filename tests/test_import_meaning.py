"""What an import means, file forms that reference managers write (issue 13): empty keys
(Citavi, Mendeley), suffix names, years that are not years, pasted DOIs.

Each through `manage.py import_bibtex` (dry run, then the real run) or the admin preview.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bibliography.importing import CREATE, UPDATE, apply_plan, prepare_import, sources_from_paths
from bibliography.models import Author, Paper
from tests.test_import_admin import EDITOR, URL, staff
from tests.test_import_corpus import corpus_files
from tests.vendored import CORPUS

# How Citavi and Mendeley export: no citation key at all.
KEYLESS = """
@Article{,
  author = {Sherry, John F., Jr. and Smith, Anna},
  title = {Gift giving in anthropological perspective},
  journal = {Journal of Consumer Research},
  year = {1983},
}

@Article{,
  author = {Smith, Anna},
  title = {Another paper},
  journal = {Journal of Consumer Research},
  year = {in press},
  doi = {http://doi.acm.org/10.1145/1234.5678},
}

@Book{,
  author = {A. Smith, B. Jones},
  title = {Dated in its year},
  year = {2013-02-21},
  doi = {DOI: 10.1000/a\\_b},
}
"""


def write(tmp_path, text, name="refs.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_entries_without_a_key_get_the_admins_key_and_the_dry_run_keeps_its_promise(
    tmp_path, capsys
):
    path = write(tmp_path, KEYLESS)
    call_command("import_bibtex", path, dry_run=True, verbosity=2)
    dry = capsys.readouterr().out
    assert "would create 3" in dry and "create `sherry1983gift`" in dry
    call_command("import_bibtex", path, verbosity=1)
    assert "3 created" in capsys.readouterr().out
    keys = set(Paper.objects.values_list("citation_key", flat=True))
    assert keys == {"sherry1983gift", "smithanother", "smith2013dated"}
    # Imported twice: the generated key is not a second paper.
    call_command("import_bibtex", path, verbosity=1)
    assert Paper.objects.count() == 3


@pytest.mark.django_db
def test_names_with_a_suffix_are_one_person_and_initial_lists_are_split(tmp_path):
    call_command("import_bibtex", write(tmp_path, KEYLESS), verbosity=0)
    sherry = Author.objects.get(family_name="Sherry")
    assert (sherry.given_name, sherry.suffix) == ("John F.", "Jr.")
    assert not Author.objects.filter(family_name__in=["John F.", "Jr."]).exists()
    book = Paper.objects.get(citation_key="smith2013dated")
    assert [a.family_name for a in book.listed_authors] == ["Smith", "Jones"]


@pytest.mark.parametrize(
    ("value", "person"),
    [
        ("von Neumann, Jr, John", ("John", "von", "Neumann", "Jr")),
        ("Sherry, John F., Jr.", ("John F.", "", "Sherry", "Jr.")),
        ("van der Berg, Jan", ("Jan", "van der", "Berg", "")),
    ],
)
def test_bibtex_name_forms_are_one_person(value, person):
    from bibliography.importing.names import parse_names

    people, _partial = parse_names(value, [])
    assert [(p.given_name, p.particle, p.family_name, p.suffix) for p in people] == [person]


@pytest.mark.django_db
def test_years_that_are_not_years_are_kept_and_noted(tmp_path, capsys):
    call_command("import_bibtex", write(tmp_path, KEYLESS), verbosity=2)
    out = capsys.readouterr().out
    assert "year `in press` is a publication state" in out
    in_press = Paper.objects.get(citation_key="smithanother")
    assert in_press.year is None and in_press.extra_fields["pubstate"] == "in press"
    dated = Paper.objects.get(citation_key="smith2013dated")
    assert dated.year == 2013


@pytest.mark.parametrize(
    "year",
    ["to appear", "forthcoming", "[In press]", "19??", "1066", "2101", "{\\noopsort{a}}1990"],
)
@pytest.mark.django_db
def test_no_year_text_is_an_error(tmp_path, year):
    bib = f"@article{{k, title={{T}}, author={{Doe, J.}}, year={{{year}}}}}"
    call_command("import_bibtex", write(tmp_path, bib), verbosity=0)
    paper = Paper.objects.get()
    assert paper.year is None or paper.year == 1990
    assert paper.year or year in paper.extra_fields.values() or paper.extra_fields["pubstate"]


@pytest.mark.django_db
def test_biblatex_date_ranges_give_the_year_and_keep_the_date(tmp_path):
    bib = "@inproceedings{k, title={T}, author={Doe, J.}, date={2019-03-01/2019-03-05}}"
    call_command("import_bibtex", write(tmp_path, bib), verbosity=0)
    paper = Paper.objects.get()
    assert (paper.year, paper.month) == (2019, 3)
    assert paper.extra_fields["date"] == "2019-03-01/2019-03-05"


@pytest.mark.parametrize(
    "pasted",
    [
        "http://doi.acm.org/10.1145/1234.5678",
        "doi.org/10.1145/1234.5678",
        "https://www.doi.org/10.1145/1234.5678",
        "DOI: 10.1145/1234.5678",
        "https://dx.doi.org/10.1145/1234.5678",
        "doi:10.1145/1234.5678",
    ],
)
@pytest.mark.django_db
def test_dois_in_every_pasted_form_are_stored_bare(tmp_path, pasted):
    bib = f"@article{{k, title={{T}}, author={{Doe, J.}}, year=2020, doi={{{pasted}}}}}"
    call_command("import_bibtex", write(tmp_path, bib), verbosity=0)
    assert Paper.objects.get().doi == "10.1145/1234.5678"


@pytest.mark.django_db
def test_escaped_underscores_in_a_doi_are_not_kept(tmp_path):
    call_command("import_bibtex", write(tmp_path, KEYLESS), verbosity=0)
    assert Paper.objects.get(citation_key="smith2013dated").doi == "10.1000/a_b"


@pytest.mark.django_db
def test_admin_preview_of_keyless_entries_promises_what_it_does(client):
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("citavi.bib", KEYLESS.encode())
    response = client.post(reverse(URL), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("import-create") >= 3 and "import-error" not in page
    assert "sherry1983gift" in page
    digest = response.context["confirm_form"].initial["digest"]
    client.post(reverse(URL), {"confirm": "Import", "digest": digest})
    assert Paper.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("name", corpus_files())
def test_what_the_plan_says_is_what_applying_does(name):
    plan = prepare_import(sources_from_paths([CORPUS / name]))
    result = apply_plan(plan, skip_invalid=True)
    assert (result.created, result.updated) == (plan.count(CREATE), plan.count(UPDATE))
    assert Paper.objects.count() == plan.count(CREATE)


ACCENTED = "@article{k, title={Über die Größe}, author={Gödel, Kurt}, year=1931}\n"


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        ("utf-16", "is UTF-16"),  # Python writes the BOM: little-endian here
        ("utf-16-be-bom", "is UTF-16"),
        ("utf-8-sig", None),
        ("cp1252", "read it as cp1252"),
    ],
)
@pytest.mark.django_db
def test_files_in_the_encodings_tools_write_import_with_their_accents(
    tmp_path, capsys, encoding, note
):
    import codecs

    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be")
    else:
        data = ACCENTED.encode(encoding)
    path = tmp_path / "jabref.bib"
    path.write_bytes(data)
    call_command("import_bibtex", path, verbosity=1)
    err = capsys.readouterr().err
    assert (note in err) if note else "Note:" not in err
    paper = Paper.objects.get()
    assert paper.title == "Über die Größe"
    assert Author.objects.get().family_name == "Gödel"


@pytest.mark.django_db
def test_a_broken_utf16_file_is_refused_by_name(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "broken.bib"
    path.write_bytes(b"\xff\xfe" + "@misc{k, title={T}}".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(CommandError, match="broken.bib starts as UTF-16 but is not valid"):
        call_command("import_bibtex", path, verbosity=0)
    assert Paper.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_of_a_utf16_file_previews_it(client):
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("jabref.bib", ACCENTED.encode("utf-16"))
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "import-create" in page and "Über die Größe" in page and "is UTF-16" in page


@pytest.mark.django_db
def test_a_shared_identifier_with_another_title_is_reported_not_merged(tmp_path, capsys):
    # Chapters that carry their book's DOI, and one eprint copied onto two papers.
    bib = """
@incollection{one, title={Deep learning for galaxies}, author={Doe, J.}, year=2020,
  booktitle={Handbook of Astronomy}, doi={10.1000/book}}
@incollection{two, title={Stellar winds revisited}, author={Roe, R.}, year=2020,
  booktitle={Handbook of Astronomy}, doi={10.1000/book}}
@article{three, title={Quantum dots}, author={Poe, P.}, year=2021, eprint={2101.00001},
  archiveprefix={arXiv}}
@article{four, title={Glacier melt}, author={Loe, L.}, year=2021, eprint={2101.00001},
  archiveprefix={arXiv}}
"""
    call_command("import_bibtex", write(tmp_path, bib), verbosity=1)
    err = capsys.readouterr().err
    assert "DOI 10.1000/book is also `one`'s, whose title differs: not merged" in err
    assert "arXiv id 2101.00001 is also `three`'s" in err
    assert Paper.objects.count() == 4
    two = Paper.objects.get(citation_key="two")
    assert two.doi == "" and two.extra_fields["doi"] == "10.1000/book"


@pytest.mark.django_db
def test_a_title_with_a_year_on_one_side_only_is_one_work_with_every_identifier(tmp_path):
    bib = """
@misc{pre, title={Scaling Laws}, author={Doe, J.}, eprint={2001.08361}, archiveprefix={arXiv}}
@article{pub, title={Scaling laws}, author={Doe, J.}, year=2020, doi={10.1000/scaling}}
"""
    path = write(tmp_path, bib)
    call_command("import_bibtex", path, verbosity=0)
    paper = Paper.objects.get()
    assert (paper.year, paper.arxiv_id, paper.doi) == (2020, "2001.08361", "10.1000/scaling")


@pytest.mark.django_db
def test_crossref_parents_are_left_out_unless_asked_for(tmp_path, capsys):
    bib = """
@inproceedings{paper, title={A result}, author={Doe, J.}, crossref={conf}}
@proceedings{conf, title={Proceedings of the Conference}, editor={Roe, R.}, year=2020}
"""
    path = write(tmp_path, bib)
    call_command("import_bibtex", path, verbosity=2)
    assert "crossref parent of 1 entries" in capsys.readouterr().out
    paper = Paper.objects.get()
    assert (paper.booktitle, paper.year) == ("Proceedings of the Conference", 2020)
    Paper.objects.all().delete()
    call_command("import_bibtex", path, with_crossref_parents=True, verbosity=0)
    assert Paper.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("name", corpus_files())
def test_an_import_run_twice_has_nothing_to_do_the_second_time(name):
    apply_plan(prepare_import(sources_from_paths([CORPUS / name])), skip_invalid=True)
    again = prepare_import(sources_from_paths([CORPUS / name]))
    changes = [(i.key, i.action, i.reason) for i in again.items if i.action in (CREATE, UPDATE)]
    assert changes == []


LATEX = r"""
@article{chem, title={Cu$_2$O films of 5 mm$^2$ and {\(\Sigma\)} models at 90$^\circ$},
  author={Doe, J.}, year=2020, journal={\apj}, abstract={A <em>new</em> view of Tom &amp; Jerry}}
@incollection{bib, title={The $\bar{1}$ and $\overline{X}$ in\slash out
  \mkbibquote{quoted} \enquote{too} \mkbibemph{emph} long\hyphen term}, author={Roe, R.},
  year=2021, booktitle={A Book}, note={See \href{https://example.org/paper}{the paper}}}
@article{bad, title={T}, author={Poe, P.}, year=2021, journal={\mnras},
  note={\href{javascript:alert(1)}{click}}}
"""


@pytest.mark.django_db
def test_latex_and_markup_real_files_hold_are_decoded(tmp_path, capsys):
    call_command("import_bibtex", write(tmp_path, LATEX), verbosity=1)
    chem = Paper.objects.get(citation_key="chem")
    assert chem.title == "Cu₂O films of 5 mm² and Σ models at 90°"
    assert chem.venue.name == "The Astrophysical Journal"
    assert chem.abstract == "A new view of Tom & Jerry"
    bib = Paper.objects.get(citation_key="bib")
    assert bib.title == "The 1̄ and X̅ in/out “quoted” “too” emph long-term"
    assert bib.url == "https://example.org/paper"
    bad = Paper.objects.get(citation_key="bad")
    assert bad.url == "" and bad.venue.name == "Monthly Notices of the Royal Astronomical Society"
    assert "javascript:alert(1)" in capsys.readouterr().err


@pytest.mark.django_db
def test_admin_preview_shows_decoded_titles(client):
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("ads.bib", LATEX.encode())
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "Cu₂O films of 5 mm²" in page and "&lt;em&gt;" not in page


@pytest.mark.django_db
def test_book_chapters_are_in_books_and_corr_is_arxiv(tmp_path):
    bib = r"""
@incollection{chapter, title={A chapter}, author={Doe, J.}, year=2020,
  booktitle={Handbook of Things}}
@article{dblp, title={Crosslingual generalization}, author={Roe, R.}, year=2022,
  journal={CoRR}, volume={abs/2211.01786}}
@misc{noted, title={Noted preprint}, author={Poe, P.}, year=2023, note={arXiv:2304.14108}}
"""
    call_command("import_bibtex", write(tmp_path, bib), verbosity=0)
    chapter = Paper.objects.get(citation_key="chapter")
    assert chapter.venue.kind == "book"
    dblp = Paper.objects.get(citation_key="dblp")
    assert (dblp.arxiv_id, dblp.venue.name) == ("2211.01786", "arXiv")
    assert Paper.objects.get(citation_key="noted").arxiv_id == "2304.14108"
