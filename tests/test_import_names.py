"""Who the names in an import are (issue 13, Names): a spelling that is not a record's
is taken as a known person only when it is safe (same family name, compatible given names
and a shared co-author), else the dry run and the admin preview say who it may be.

Through `manage.py import_bibtex` and the admin preview, on the al-folio files of two of
the seed's co-authors (tests/data/corpus/al-folio/) and on small files written here.
"""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bibliography.importing import Source, prepare_import
from bibliography.importing.names import parse_names
from bibliography.models import Author, Paper
from tests.factories import make_author, make_paper
from tests.test_import_admin import EDITOR, URL, staff
from tests.vendored import CORPUS, vendored_file

ALFOLIO = [
    vendored_file(CORPUS / "al-folio/Quentin-Anthony-papers.bib"),
    vendored_file(CORPUS / "al-folio/haileyschoelkopf-papers.bib"),
]


def write(tmp_path, text, name="refs.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def records(family_name: str) -> list[str]:
    return sorted(a.name for a in Author.objects.filter(family_name__iexact=family_name))


@pytest.mark.django_db
def test_the_seed_coauthors_al_folio_files_make_one_record_per_person(seed, capsys):
    # Quentin Anthony is "Quentin", "Quentin G", "Quentin Gregory" and "Quentin*" in these
    # files; Panda is spelt four ways (with a typo); Sid Black is "Sidney" once.
    call_command("import_bibtex", *ALFOLIO, dry_run=True, skip_invalid=True, verbosity=1)
    dry = capsys.readouterr().out
    assert "`Quentin G Anthony` (" in dry and "is taken as Quentin Anthony" in dry
    assert "`Sidney Black`" in dry and "is taken as Sid Black" in dry
    assert Author.objects.filter(family_name="Panda").count() == 0  # a dry run writes nothing

    call_command("import_bibtex", *ALFOLIO, skip_invalid=True, verbosity=0)
    assert records("Anthony") == ["Quentin Anthony"]
    assert records("Black") == ["Sid Black"]
    assert records("Prashanth") == ["USVSN Sai Prashanth"]
    assert len(records("Panda")) == 1
    for family in ("Biderman", "Schoelkopf", "Sutawika", "Hallahan", "Purohit"):
        assert len(records(family)) == 1, family
    quentin = Author.objects.get(family_name="Anthony")
    assert quentin.authorships.filter(paper__citation_key="khorassani2021adaptive").exists()

    # And a second run has nothing to do.
    papers, people = Paper.objects.count(), Author.objects.count()
    call_command("import_bibtex", *ALFOLIO, skip_invalid=True, verbosity=0)
    assert (Paper.objects.count(), Author.objects.count()) == (papers, people)


LONE_INITIAL = """
@article{lone, title={Counting sheep}, author={S. Biderman and Ann Other}, year=2024,
  journal={Journal of Sheep}}
"""


@pytest.mark.django_db
def test_a_compatible_name_without_a_shared_coauthor_is_listed_not_merged(tmp_path, capsys):
    stella = make_author("Biderman", given_name="Stella")
    make_paper(authors=[stella, make_author("Gao", given_name="Leo")])
    path = write(tmp_path, LONE_INITIAL)
    call_command("import_bibtex", path, dry_run=True, verbosity=1)
    assert (
        f"`S. Biderman` ({path}, line 2) may be Stella Biderman: not merged (no shared "
        "co-author); merge in Authors > Likely duplicates"
    ) in capsys.readouterr().out
    call_command("import_bibtex", path, verbosity=0)
    assert records("Biderman") == ["S. Biderman", "Stella Biderman"]


@pytest.mark.django_db
def test_an_initial_with_a_shared_coauthor_is_that_person(tmp_path, capsys):
    stella = make_author("Biderman", given_name="Stella")
    make_paper(authors=[stella, make_author("Gao", given_name="Leo")])
    bib = "@article{k, title={Pile}, author={Gao, L. and Biderman, S.}, year=2021, journal={J}}"
    call_command("import_bibtex", write(tmp_path, bib), verbosity=1)
    out = capsys.readouterr().out
    assert "`L. Gao`" in out and "is taken as Leo Gao" in out
    assert records("Biderman") == ["Stella Biderman"] and records("Gao") == ["Leo Gao"]
    assert [a.name for a in Paper.objects.get(citation_key="k").listed_authors] == [
        "Leo Gao",
        "Stella Biderman",
    ]


@pytest.mark.django_db
def test_two_people_who_fit_or_share_a_byline_are_not_guessed(tmp_path, capsys):
    gao = make_author("Gao", given_name="Leo")
    sarah, sam = make_author("Smith", given_name="Sarah"), make_author("Smith", given_name="Sam")
    make_paper(authors=[sarah, gao])
    make_paper(authors=[sam, gao])
    bib = """
@article{a, title={One}, author={Smith, S. and Gao, Leo}, year=2021, journal={J}}
@article{b, title={Two}, author={Smith, Sarah and Smith, Sarah J. and Gao, Leo}, year=2021,
  journal={J}}
"""
    call_command("import_bibtex", write(tmp_path, bib), verbosity=1)
    out = capsys.readouterr().out
    assert (
        "`S. Smith` (" in out
        and "may be Sam Smith or Sarah J. Smith or Sarah Smith: not merged (more than one fits)"
        in out
    )
    assert "`Sarah J. Smith` (" in out
    assert "may be Sarah Smith: not merged (they share a byline)" in out
    assert records("Smith") == ["S. Smith", "Sam Smith", "Sarah J. Smith", "Sarah Smith"]


@pytest.mark.django_db
def test_the_admin_preview_lists_the_likely_match(client):
    make_paper(authors=[make_author("Biderman", given_name="Stella")])
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("alfolio.bib", LONE_INITIAL.encode())
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "`S. Biderman` (alfolio.bib, line 2) may be Stella Biderman" in page
    assert reverse("admin:bibliography_author_duplicates") in page


@pytest.mark.django_db
def test_the_admin_preview_says_who_a_variant_is_taken_as(client, seed):
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("papers.bib", ALFOLIO[0].read_bytes())
    response = client.post(reverse(URL), {"file": upload})
    page = response.content.decode()
    assert "`Quentin G Anthony` (papers.bib, line 34) is taken as Quentin Anthony" in page
    digest = response.context["confirm_form"].initial["digest"]
    client.post(reverse(URL), {"confirm": "Import", "digest": digest})
    assert records("Anthony") == ["Quentin Anthony"]


@pytest.mark.parametrize(
    ("value", "people"),
    [
        # BibTeX's own three parts, and the suffix written last.
        ("von Neumann, Jr, John", [("John", "von", "Neumann", "Jr")]),
        ("de la Vallée Poussin, Jr., Charles", [("Charles", "de la", "Vallée Poussin", "Jr.")]),
        ("Sherry, John F., Jr.", [("John F.", "", "Sherry", "Jr.")]),
        ("King, Martin Luther, III", [("Martin Luther", "", "King", "III")]),
        # Commas for `and`: pairs of family and given names, or full names.
        ("Doe, J., Smith, K.", [("J.", "", "Doe", ""), ("K.", "", "Smith", "")]),
        ("Doe, John, Smith, Kate", [("John", "", "Doe", ""), ("Kate", "", "Smith", "")]),
        (
            "Doe, J. K., Smith, A. and Roe, R.",
            [("J. K.", "", "Doe", ""), ("A.", "", "Smith", ""), ("R.", "", "Roe", "")],
        ),
        (
            "Hu Xu, Saining Xie, Po-Yao Huang",
            [("Hu", "", "Xu", ""), ("Saining", "", "Xie", ""), ("Po-Yao", "", "Huang", "")],
        ),
        ("A. Smith, B. Jones", [("A.", "", "Smith", ""), ("B.", "", "Jones", "")]),
    ],
)
def test_name_forms(value, people):
    found, _partial = parse_names(value, [])
    assert [(p.given_name, p.particle, p.family_name, p.suffix) for p in found] == people


@pytest.mark.django_db
def test_a_comma_separated_byline_imports_as_its_people(tmp_path, capsys):
    bib = "@article{k, title={T}, author={Doe, J., Smith, K.}, year=2020, journal={J}}"
    call_command("import_bibtex", write(tmp_path, bib), verbosity=2)
    assert "authors separated by commas instead of `and`" in capsys.readouterr().out
    paper = Paper.objects.get()
    assert [a.name for a in paper.listed_authors] == ["J. Doe", "K. Smith"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 40])
def test_matching_names_costs_the_same_queries_for_few_or_many(
    tmp_path, django_assert_num_queries, count
):
    gao = make_author("Gao", given_name="Leo")
    for n in range(count):
        make_paper(authors=[make_author(f"Family{n}", given_name="Stella"), gao])
    text = "".join(
        f"@article{{e{n}, title={{Paper {n}}}, author={{S. Family{n} and L. Gao}}, year=2020}}\n"
        for n in range(count)
    )
    # The papers, authors, name variants, venues, and the candidates' co-authors: once each.
    with django_assert_num_queries(6):
        plan = prepare_import([Source("refs.bib", text)])
    assert len(plan.people) == count + 1  # every S. FamilyN, and L. Gao, taken as known


@pytest.mark.django_db
def test_a_suffix_braced_into_the_family_and_a_control_space_make_clean_names(client):
    """TUGboat's `Frank G. {Bennett, Jr.}` (braced so that BibTeX styles print the comma)
    is Bennett with the suffix Jr.; `Christina A. L.\\ Thiele` has no backslash in it."""
    path = vendored_file(CORPUS / "scale" / "tugboat-biber.bib")
    call_command("import_bibtex", path, verbosity=0)
    bennett = Author.objects.get(family_name="Bennett", given_name="Frank G.")
    assert bennett.suffix == "Jr." and bennett.name == "Frank G. Bennett, Jr."
    assert Author.objects.get(family_name="Bell", given_name="Edwin V.").suffix == "II"
    assert Author.objects.filter(given_name="Christina A. L.", family_name="Thiele").exists()
    assert not Author.objects.filter(family_name__regex=r", (Jr\.|II)$").exists()
    assert not Author.objects.filter(given_name__endswith="\\").exists()


@pytest.mark.django_db
def test_hugo_blox_cite_files_given_together_are_one_library_of_people():
    """Hugo Blox keeps one `cite.bib` per publication (content/publication/*/cite.bib):
    given together, `G. Voet` on one and `Gunnar Voet` on the other, who share co-authors,
    are one person, and the dry run says so."""
    folder = CORPUS / "hugo-blox"
    files = [vendored_file(folder / name) for name in HUGO_BLOX]
    out = StringIO()
    call_command("import_bibtex", *files, "--dry-run", stdout=out)
    assert "`G. Voet` (" in out.getvalue() and "is taken as Gunnar Voet" in out.getvalue()
    call_command("import_bibtex", *files, verbosity=0)
    assert Paper.objects.count() == 2
    assert records("Voet") == ["Gunnar Voet"] and records("Carter") == ["Glenn S. Carter"]
    assert records("Girton") == ["J. B. Girton"]
    paper = Paper.objects.get(citation_key="cusacketal19")
    assert paper.title == "Persistent Turbulence in the Samoan Passage"
    assert paper.doi == "10.1175/JPO-D-19-0116.1" and paper.venue.name == "J. Phys. Oceanogr."


HUGO_BLOX = ("cusack-etal-2019-cite.bib", "samoan-passage-mixing-cite.bib")
