"""The exports read by the real tools, on the seed and on a corpus sample: bibtex with six
styles, biber's data-model check, pandoc's citeproc, and pdflatex for the ASCII file.

"0 errors, and warnings only where the source lacks a field": each warning a tool gives is
matched to the field it names and checked against the exported entry (the field is absent)
or against the source file the paper came from (the field is the source's own, which
biblatex does not model).
"""

import re
import shutil
import subprocess

import bibtexparser
import pytest
from django.urls import reverse

from bibliography.citations.bibtex import papers_to_bibtex
from bibliography.importing import apply_plan, prepare_import, sources_from_paths
from bibliography.importing.latex import latex_to_unicode
from bibliography.importing.planning import title_key
from bibliography.models import Paper
from tests.citation_library import get_bib, run_bibtex
from tests.factories import give_role, make_author, make_paper
from tests.vendored import CORPUS, vendored_file

STYLES = ["plain", "alpha", "abbrv", "ieeetr", "unsrtnat", "plainnat"]
# The corpus sample: how projects cite the seed's works (GitHub READMEs, DBLP, Zotero).
SAMPLE = CORPUS / "community" / "seed-works-as-cited.bib"
# bibtex's "Warning--empty journal in key" and "Warning--to sort, need author or key in key".
BIBTEX_EMPTY_RE = re.compile(r"^Warning--empty (\w+)(?: and (\w+))? in (\S+)$")
BIBTEX_NEED_RE = re.compile(r"^Warning--to sort, need (\w+)(?:, (\w+))?,? or (\w+) in (\S+)$")
# biber: "Entry 'key' (lib.bib): Missing mandatory field - one of 'date, year' must be
# defined" / "Missing mandatory field 'journaltitle'" / "Field 'x' invalid in data model" /
# "Invalid field 'x' for entrytype 'misc'" / "Invalid value of field 'x' must be ...".
BIBER_ENTRY_RE = re.compile(r"Entry '([^']+)' \([^)]*\): (.*)$")
BIBER_MISSING_RE = re.compile(r"Missing mandatory field(?: - one of)? '([^']+)'")
BIBER_INVALID_RE = re.compile(r"(?:Field|Invalid field|Invalid value of field) '([^']+)'")
# biblatex's names for what BibTeX's fields hold (biber maps them on reading).
BIBLATEX_ALIASES = {"date": "year", "journaltitle": "journal", "location": "address"}


@pytest.fixture(params=["seed", "corpus sample"])
def exported(request, db, client):
    """(the BibTeX file of the published list, the source fields of each paper by key)."""
    from django.core.management import call_command

    call_command("loaddata", "seed", verbosity=0)
    sources: dict[str, set[str]] = {}
    if request.param == "corpus sample":
        plan = prepare_import(sources_from_paths([vendored_file(SAMPLE)]))
        apply_plan(plan, skip_invalid=True)
        sources = _source_fields(SAMPLE.read_text(encoding="utf-8"))
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    return text, sources


def _source_fields(text: str) -> dict[tuple, set[str]]:
    """The fields each entry of a source file wrote, by its title (as imports match them)."""
    fields: dict[tuple, set[str]] = {}
    library = bibtexparser.parse_string(text)
    # A key the file uses twice is a failed block to bibtexparser, which still holds the entry.
    twice = [getattr(block, "ignore_error_block", None) for block in library.failed_blocks]
    for entry in [*library.entries, *(e for e in twice if isinstance(e, bibtexparser.model.Entry))]:
        if "title" in entry.fields_dict:
            key = title_key(latex_to_unicode(entry["title"]), None)
            fields.setdefault(key, set()).update(name.lower() for name in entry.fields_dict)
    return fields


def _entries(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    return {e.key: {f.key.lower(): f.value for f in e.fields} for e in library.entries}


@pytest.mark.parametrize("style", STYLES)
def test_bibtex_warns_only_of_fields_the_work_lacks(exported, tmp_path, style):
    text, _ = exported
    log = run_bibtex(tmp_path, text, style)
    assert "error" not in log.lower(), log
    entries = _entries(text)
    for line in log.splitlines():
        if not line.startswith("Warning--"):
            continue
        if (match := BIBTEX_EMPTY_RE.match(line)) or (match := BIBTEX_NEED_RE.match(line)):
            *fields, key = match.groups()
        else:
            pytest.fail(f"{style}: a warning about something other than a missing field: {line}")
        named = {field for field in fields if field}
        assert not named & set(entries[key]), (style, line)


def test_biber_validates_the_datamodel_with_warnings_only_for_what_the_source_lacks(
    exported, tmp_path
):
    text, sources = exported
    biber = shutil.which("biber")
    assert biber, "biber is needed (Debian: biber; scripts/install-system-deps.sh)"
    (tmp_path / "lib.bib").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", "out.bib", "lib.bib"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "ERROR" not in log, log
    entries = _entries(text)
    titles = {
        key: title_key(latex_to_unicode(e.get("title", "")), None) for key, e in entries.items()
    }  # noqa: E501
    warnings = [line for line in log.splitlines() if line.startswith("WARN")]
    for line in warnings:
        key, message = BIBER_ENTRY_RE.search(line).groups()
        if missing := BIBER_MISSING_RE.search(message):
            named = {
                BIBLATEX_ALIASES.get(f.strip(), f.strip()) for f in missing.group(1).split(",")
            }
            assert not named & set(entries[key]), line
        elif invalid := BIBER_INVALID_RE.search(message):
            # A field biblatex does not model for this type, which the source itself wrote
            # (DBLP's biburl, a @misc's publisher): kept, as every imported field is.
            assert invalid.group(1).lower() in sources.get(titles[key], set()), line
        else:
            pytest.fail(f"an unexpected biber warning: {line}")


def test_biber_reads_the_contribution_roles_as_an_annotation(db, tmp_path):
    paper = make_paper(title="Roles", authors=[make_author("Biderman", "Stella"), "Sutawika"])
    give_role(paper, [1, 2])
    give_role(paper, [2], slug="corresponding-author")
    text = papers_to_bibtex([Paper.objects.for_list().get(pk=paper.pk)])
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry["author"] == "Biderman, Stella and Sutawika, Ada"
    assert entry["author+an"] == "1=equal; 2=equal,corresponding"
    (tmp_path / "lib.bib").write_text(text, encoding="utf-8")
    subprocess.run(
        ["biber", "--tool", "--output-file", "out.bib", "lib.bib"],
        cwd=tmp_path, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert "AUTHOR+an:default = {1=equal;2=equal,corresponding}" in (
        (tmp_path / "out.bib").read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("fmt", ["json", "bib"])
def test_pandoc_citeproc_reads_the_csl_json_and_the_bibtex_without_a_warning(
    exported, client, tmp_path, fmt
):
    pandoc = shutil.which("pandoc")
    assert pandoc, "pandoc is needed (Debian: pandoc; scripts/install-system-deps.sh)"
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=[fmt]))
    (tmp_path / f"lib.{fmt}").write_text(text, encoding="utf-8")
    # A document that cites nothing and asks for every entry (`nocite: @*`).
    document = "---\nnocite: |\n  @*\n...\n"
    result = subprocess.run(
        [pandoc, "--citeproc", "-f", "markdown", "-t", "plain", "--bibliography", f"lib.{fmt}"],
        cwd=tmp_path, input=document, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    count = Paper.objects.published().count()
    # Every work is in the bibliography pandoc prints (one paragraph each).
    assert len([p for p in result.stdout.split("\n\n") if p.strip()]) == count


# Letters of Latin Extended Additional, combining marks, ʿayn and hamza: what the ASCII
# file spells, and what it must spell them as.
ASCII_LETTERS = {
    "Ḥ": "{\\d{H}}", "ṣ": "{\\d{s}}", "ṭ": "{\\d{t}}", "ṯ": "{\\b{t}}", "ḏ": "{\\b{d}}",
    "ẓ": "{\\d{z}}", "ṅ": "{\\.{n}}", "ộ": "{\\^{\\d{o}}}", "ế": "{\\'{\\^{e}}}",
    "ʿ": "{\\textquoteleft}", "ʾ": "{\\textquoteright}", "Ș": "{\\textcommabelow{S}}",
    "a\u0304": "{\\={a}}", "x\u0323": "{\\d{x}}", "q\u0302": "{\\^{q}}", "ǎ": "{\\v{a}}",
}  # fmt: skip


def test_ascii_bibtex_spells_accented_letters_that_pdflatex_then_sets(db, client, tmp_path):
    letters = "".join(ASCII_LETTERS)
    make_paper(
        title=f"Transliterated {letters}",
        authors=[make_author("Ṣāliḥ", "ʿAbd al-Ḥaqq"), make_author("Nguyễn", "Thị Ộ")],
        entry_type="misc",
        extra_fields={"howpublished": "Notes"},
    )
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]), ascii="")
    assert text.isascii() and "U+" not in text, text
    for spelling in ASCII_LETTERS.values():
        assert spelling in text, spelling
    log = run_bibtex(tmp_path, text)
    assert "Warning" not in log and "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text()
    assert "{\\d{S}}{\\={a}}li{\\d{h}}" in bbl and "{\\textquoteleft}Abd" in bbl
    pdflatex = shutil.which("pdflatex")
    assert pdflatex, "pdflatex is needed (Debian: texlive-latex-base)"
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\begin{document}"
        "\\nocite{*}\\bibliographystyle{plain}\\bibliography{lib}\\end{document}\n"
    )
    result = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=300,
    )  # fmt: skip
    latex_log = (tmp_path / "doc.log").read_text(errors="replace")
    assert result.returncode == 0, latex_log[-3000:]
    for problem in ("Missing character", "Undefined control sequence", "unavailable in encoding"):
        assert problem not in latex_log, problem
    assert (tmp_path / "doc.pdf").stat().st_size > 0
