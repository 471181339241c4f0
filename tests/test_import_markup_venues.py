"""LaTeX the importer cannot decode is kept as written and said, with file, line and field;
chapters' books are book venues; arXiv is arXiv by every name (issue 13, LaTeX and markup).

Through `manage.py import_bibtex` and the admin preview.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bibliography.citations.bibtex import papers_to_bibtex
from bibliography.importing import Source, apply_plan, prepare_import
from bibliography.models import Paper, Venue
from tests.test_import_admin import EDITOR, URL, staff
from tests.vendored import CORPUS, vendored_file

BBT = CORPUS / "zotero-bbt"

UNDECODED = r"""@article{odd,
  title = {The $\mathscr{L}$ norm and \foo{bar} of Cu$_2$O},
  author = {Doe, J. and {\relax Ch}ristensen, K.},
  journal = {\myjournal},
  year = 2020,
}
"""


def write(tmp_path, text, name="refs.bib"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_undecodable_latex_is_kept_and_noted_with_file_line_and_field(tmp_path, capsys):
    path = write(tmp_path, UNDECODED)
    call_command("import_bibtex", path, verbosity=1)
    err = capsys.readouterr().err
    assert (
        f"{path}, line 1: `odd`: title: LaTeX `$\\mathscr{{L}}$`, `\\foo{{bar}}` not decoded; "
        "kept as the source wrote it"
    ) in err
    assert "journal: LaTeX `\\myjournal` not decoded" in err
    paper = Paper.objects.get()
    # What it could decode is decoded; what it could not is as the source wrote it.
    assert paper.title == "The $\\mathscr{L}$ norm and \\foo{bar} of Cu₂O"
    assert paper.venue.name == "\\myjournal"


@pytest.mark.django_db
def test_decodable_latex_is_not_noted(tmp_path, capsys):
    bib = (
        r"@article{k, title={Cu$_2$O at 90$^\circ$ \slash{} \enquote{q}}, author={Doe, J.},"
        r" journal={\apj}, year=2020}"
    )
    call_command("import_bibtex", write(tmp_path, bib), verbosity=1)
    assert "not decoded" not in capsys.readouterr().err
    assert Paper.objects.get().venue.name == "The Astrophysical Journal"


@pytest.mark.django_db
def test_the_admin_preview_notes_undecoded_latex(client):
    staff(client, *EDITOR)
    upload = SimpleUploadedFile("ads.bib", UNDECODED.encode())
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "title: LaTeX `$\\mathscr{L}$`, `\\foo{bar}` not decoded" in page


@pytest.mark.django_db
def test_chapters_are_in_book_venues(tmp_path):
    bib = r"""
@incollection{a, title={A chapter}, author={Doe, J.}, year=2020, booktitle={Handbook of Things}}
@inbook{b, title={Another chapter}, author={Roe, R.}, year=2021, booktitle={Handbook of Stuff}}
@inproceedings{c, title={A talk}, author={Poe, P.}, year=2021, booktitle={Proceedings of ACL}}
"""
    call_command("import_bibtex", write(tmp_path, bib), verbosity=0)
    kinds = dict(Paper.objects.values_list("citation_key", "venue__kind"))
    assert kinds == {"a": Venue.Kind.BOOK, "b": Venue.Kind.BOOK, "c": Venue.Kind.CONFERENCE}


ARXIV_SPELLINGS = [
    "arXiv",
    "ArXiv",
    "arXiv e-prints",
    "arXiv preprint",
    "arxiv.org",
    "CoRR",
    "Computing Research Repository (CoRR)",
]


@pytest.mark.django_db
@pytest.mark.parametrize("journal", ARXIV_SPELLINGS)
def test_arxiv_by_every_name_is_a_preprint_and_survives_export_and_import(journal):
    bib = f"@article{{k, title={{T}}, author={{Doe, J.}}, year=2020, journal={{{journal}}}}}"
    apply_plan(prepare_import([Source("in.bib", bib)]))
    assert Paper.objects.get().venue.kind == Venue.Kind.PREPRINT
    first = papers_to_bibtex(Paper.objects.for_list())
    Paper.objects.all().delete()
    Venue.objects.all().delete()
    apply_plan(prepare_import([Source("export.bib", first)]))
    paper = Paper.objects.get()
    assert (paper.venue.name, paper.venue.kind) == (journal, Venue.Kind.PREPRINT)
    assert papers_to_bibtex(Paper.objects.for_list()) == first


@pytest.mark.django_db
def test_zotero_better_bibtex_fixtures_decode_math_accents_scripts_and_href(capsys):
    """Three of the files Better BibTeX keeps from its users' bug reports."""
    files = [
        vendored_file(BBT / "Overline during Import #1467.bib"),
        vendored_file(BBT / "Math markup to unicode not always imported correctly #472.bib"),
        vendored_file(BBT / "Allow spaces between href arguments for import #2504.bib"),
    ]
    call_command("import_bibtex", *files, verbosity=1)
    assert "not decoded" not in capsys.readouterr().err
    titles = dict(Paper.objects.values_list("citation_key", "title"))
    assert titles["Held_1998"] == (
        "N-Limited Versus Ga-Limited Growth on GaN(0001\u0304) by MBE Using NH³"
    )
    assert titles["Song_2014"].startswith(
        "Epitaxial Lateral Overgrowth of Nitrogen-Polar (0001\u0305)"
    )
    assert "(112\u03042)" in titles["Leung_2012"]  # 11\=22
    assert titles["test_citation1"] == (
        "Test Title With 100 μJ, 200 μJ Energy, and ±0.1% Accuracy, 0.2 mm² Size, and -50 dB "
        "Attenuation"
    )
    gap = Paper.objects.get(citation_key="GAP4.13dev")
    assert gap.title == "GAP – Groups, Algorithms, and Programming, Version 4.13dev"
    assert gap.url == "https://www.gap-system.org"


@pytest.mark.django_db
def test_the_admin_preview_of_a_zotero_fixture_shows_decoded_titles(client):
    staff(client, *EDITOR)
    path = vendored_file(BBT / "Overline during Import #1467.bib")
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "by MBE Using NH³" in page and "\\textsuperscript" not in page


DBLP_TITLES = (
    # {\^{}} is DBLP's escaped caret: the caret itself, never a circumflex on the C.
    "More on AC^0[oplus] and Variants of the Majority Function",
    # \({}^{\mbox{1}}\): a superscript whose argument is a box.
    "Counting Paths in VPA Is Complete for #NC¹",
    "A fixed-depth size-hierarchy theorem for AC⁰[⊕] via the coin problem",
    # DBLP's TeX escaped for BibTeX ({\textdollar}...{\textbackslash}oplus...) is math.
    "A Fixed-Depth Size-Hierarchy Theorem for AC⁰[⊕] via the Coin Problem",
)


@pytest.mark.django_db
def test_dblp_escaped_carets_and_boxed_superscripts_decode_as_written(client):
    path = vendored_file(CORPUS / "dblp" / "dblp.bib")
    call_command("import_bibtex", path, verbosity=0)
    titles = set(Paper.objects.values_list("title", flat=True))
    assert set(DBLP_TITLES) <= titles
    assert not [title for title in titles if "\u0302" in title or "oplus$" in title]
    # The ECCC report `More on {\textdollar}AC{\^{}}0[{\textbackslash}oplus]{\textdollar}`
    # (AC⁰[⊕]) and the FSTTCS paper `More on AC{\^{}}0[oplus]` of that year are one work.
    assert Paper.objects.filter(title__startswith="More on AC").count() == 1

    staff(client, *EDITOR)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "Complete for #NC¹" in page and "AĈ0" not in page


PREAMBLE_COMMANDS = r"""@preamble{ "\newcommand{\pkg}[1]{{#1}} \def\TUB{TUGboat}"
  # "\newcommand{\again}{\again\again} \newcommand{\opt}[1][x]{#1} \input{/etc/passwd}"
  # "\providecommand{\url}[1]{\texttt{#1}} \renewcommand{\emph}[1]{#1!}" }
@article{uses, title = {The \pkg{irace} Package in \TUB{} and \again, \opt{y}, \pkg \emph{x}},
  journal = {\TUB}, year = 2020, url = {\url{https://example.org/a_b}}}
@article{many, title = {\again\again\again\again\again\again\again\again\again\again}, year = 2021}
"""


@pytest.mark.django_db
def test_commands_the_preamble_defines_are_read_once_never_run(tmp_path, capsys):
    """A file's own shorthands are its text; a definition that calls itself is put in place
    once (not looped), one with an optional argument or a primitive is not followed, and
    what stays undecoded is noted as any unknown command is."""
    path = write(tmp_path, PREAMBLE_COMMANDS)
    call_command("import_bibtex", path, verbosity=1)
    err = capsys.readouterr().err
    uses = Paper.objects.get(citation_key="uses")
    assert uses.title == "The irace Package in TUGboat and \\again\\again, \\opt{y}, \\pkg x"
    # What the decoder knows keeps its meaning whatever the preamble says.
    assert uses.url == "https://example.org/a_b"
    assert uses.venue.name == "TUGboat"
    assert "title: LaTeX `\\again`, `\\opt{y}`, `\\pkg` not decoded" in err
    assert Paper.objects.get(citation_key="many").title.count("\\again") == 20
