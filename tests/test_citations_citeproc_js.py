"""The formatted citations against citeproc-js, the processor Zotero and Mendeley use.

Every seed paper and a sample of the corpus, imported as an editor would, is read from its
paper page (the stored APA, Chicago, MLA and IEEE references) and from the CSL-JSON
export; node renders the exported items with citeproc-js from npm (tests/tools/
citeproc_render.js), the same CSL files and the same en-US locale. The two must agree
string for string, plain text and markup, except for the differences listed in
`JUSTIFIED` below.

A partial byline is the one place the site adds to CSL-JSON: the style's "et al.". Its
reference is the item with one placeholder name more, rendered by citeproc-js with the
style's XML edited so that every name list cuts exactly the placeholder.
"""

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bibliography.citations.styles import PLACEHOLDER_NAME, STYLES, sanitized_citation
from bibliography.models import Paper
from tests.admin_forms import admin_form_data, change_url
from tests.factories import make_author, make_paper
from tests.vendored import CORPUS, vendored_file

ROOT = Path(__file__).resolve().parent.parent
RENDER = ROOT / "tests" / "tools" / "citeproc_render.js"
NPM_PROCESSOR = ROOT / "node_modules" / "citeproc" / "citeproc_commonjs.js"
SITE_FILES = ROOT / "bibliography" / "citations" / "citeproc_js"
LOCALE = SITE_FILES / "locales-en-US.xml"
CSL_NS = "http://purl.org/net/xbiblio/csl"
# The corpus sample: files whose entries cover every entry type, the seed's works as the
# community cites them, names with particles and suffixes, and DBLP's conference papers.
CORPUS_SAMPLE = [
    "community/seed-works-as-cited.bib",
    "pybtex/xampl.bib",
    "citation-js/bibtex-input.bib",
    "citation-js/biblatex-input.bib",
    "dblp/dblp-standard.bib",
]
# (citation key, style key) -> why our reference may differ from citeproc-js's.
JUSTIFIED: dict[tuple[str, str], str] = {}
CITATION_RE = re.compile(
    r'<p class="formatted-citation" id="cite-(?P<style>\w+)-\d+">(?P<html>.*?)</p>', re.S
)
# citeproc-js's HTML sets a numbered style's label in a block of its own beside the
# reference; the page shows them inline with a space (as citeproc-js's text output does).
LABEL_BLOCKS_RE = re.compile(r'</div>\s*<div class="csl-right-inline">')

pytestmark = pytest.mark.django_db


def test_the_site_runs_the_citeproc_js_that_npm_ships():
    """The processor the site embeds is byte for byte the npm package the tests pin."""
    site = (SITE_FILES / "citeproc_commonjs.js").read_bytes()
    assert site == vendored_file(NPM_PROCESSOR).read_bytes()


def citeproc_js(style_path: Path, items: list[dict]) -> list[dict]:
    request = json.dumps({"style": str(style_path), "locale": str(LOCALE), "items": items})
    done = subprocess.run(
        ["node", str(RENDER)], input=request, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def style_cutting(style_path: Path, names: int, folder: Path) -> Path:
    """The style with every name list's et-al. rule cutting the last of `names` names
    (where the style's own rule would print them all)."""
    ET.register_namespace("", CSL_NS)
    tree = ET.parse(style_path)
    bibliography = tree.getroot().find(f"{{{CSL_NS}}}bibliography")
    citation = tree.getroot().find(f"{{{CSL_NS}}}citation")
    for element in [bibliography, citation, *tree.getroot().iter(f"{{{CSL_NS}}}name")]:
        element.attrib.pop("et-al-use-last", None)
        minimum = element.get("et-al-min")
        inherits = minimum is None and element not in (bibliography, citation)
        if not inherits and (minimum is None or int(minimum) > names):
            element.set("et-al-min", str(names))
            element.set("et-al-use-first", str(names - 1))
    path = folder / f"{style_path.stem}-cut-{names}.csl"
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def import_corpus_sample():
    for name in CORPUS_SAMPLE:
        call_command(
            "import_bibtex",
            str(vendored_file(CORPUS / name)),
            "--skip-invalid",
            "--no-progress",
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_every_style_agrees_with_citeproc_js_on_the_seed_and_a_corpus_sample(
    client, seed, tmp_path
):
    import_corpus_sample()
    papers = list(Paper.objects.published().order_by("pk"))
    assert len(papers) > 150, "the corpus sample did not import"
    ours, paired = {}, []
    for paper in papers:
        page = client.get(paper.get_absolute_url()).content.decode()
        for match in CITATION_RE.finditer(page):
            ours[paper.pk, match["style"]] = match["html"]
        export = client.get(reverse("bibliography:paper-export", args=[paper.slug, "json"]))
        body = b"".join(export.streaming_content) if export.streaming else export.content
        (item,) = json.loads(body)
        paired.append((paper, item))

    compared, equal, differences = 0, 0, []
    for style in STYLES:
        groups = defaultdict(list)
        for paper, item in paired:
            if paper.byline_is_partial and item.get("author"):
                item = {**item, "author": [*item["author"], PLACEHOLDER_NAME]}
                groups[len(item["author"])].append((paper, item))
            else:
                groups[None].append((paper, item))
        for names, members in groups.items():
            path = style.path if names is None else style_cutting(style.path, names, tmp_path)
            rendered = citeproc_js(path, [item for _, item in members])
            for (paper, _), theirs in zip(members, rendered, strict=True):
                assert "error" not in theirs, (paper.citation_key, theirs["error"])
                mine = sanitized_citation(style, ours[paper.pk, style.key])
                reference = sanitized_citation(style, LABEL_BLOCKS_RE.sub(" ", theirs["html"]))
                compared += 1
                same = mine.html == reference.html and mine.text == theirs["text"].strip()
                equal += same
                if not same and (paper.citation_key, style.key) not in JUSTIFIED:
                    differences.append(
                        f"{paper.citation_key} [{style.key}]\n  ours: {mine.html}\n"
                        f"  js:   {reference.html}\n  js text: {theirs['text'].strip()}"
                    )
    print(f"{equal} of {compared} references equal to citeproc-js")
    assert compared == 4 * len(papers)
    assert differences == [], f"{len(differences)} differ:\n" + "\n".join(differences)


def stored_styles(paper) -> dict[str, str]:
    """The paper's stored texts of its current revision, by style name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.style, c.text FROM citation_cache c JOIN bibliography_paper p"
            " ON p.id = c.paper_id AND c.revision = p.entry_revision WHERE p.id = %s",
            [paper.pk],
        )
        return dict(cursor.fetchall())


def test_saving_a_paper_in_the_admin_renders_its_citations_so_no_visitor_waits(
    client, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="bibliography"))
    client.force_login(user)
    paper = make_paper(title="Datasheet for the Pile", authors=[make_author("Biderman", "S.")])
    assert stored_styles(paper) == {}
    data = admin_form_data(client.get(change_url(paper)))
    data["title"] = "Datasheet for the Pile, revised"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(paper), data)
    assert response.status_code == 302
    stored = stored_styles(paper)
    assert {"bibtex", "ris", "csl-json", "style-apa", "style-ieee"} <= stored.keys()
    assert stored["style-apa"].startswith(
        "Biderman, S. (2022). <i>Datasheet for the Pile, revised</i>."
    )
    # The page then reads them and writes nothing.
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(paper.get_absolute_url()).content.decode()
    assert "Datasheet for the Pile, revised" in page
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_importing_renders_the_imported_papers_citations(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_bibtex",
            str(vendored_file(CORPUS / "pybtex" / "xampl.bib")),
            "--skip-invalid",
            "--no-progress",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    papers = list(Paper.objects.all())
    assert papers
    for paper in papers:
        assert {f"style-{style.key}" for style in STYLES} <= stored_styles(paper).keys()


def test_typed_double_hyphens_are_en_dashes_on_the_pages_and_in_the_styles(client):
    paper = make_paper(
        title="Pythia --- a suite -- for analysis",
        authors=[make_author("Biderman", "Stella")],
        entry_type="inproceedings",
        booktitle="Proceedings of BigScience Episode #5 -- Workshop on Challenges",
        url="https://example.org/a--b",
        extra_fields={"number": "TR21-094"},
    )
    page = client.get(paper.get_absolute_url()).content.decode()
    assert '<h1 class="page-title">Pythia — a suite – for analysis</h1>' in page
    assert "Episode #5 – Workshop on Challenges" in page
    assert "--" not in page.split("<h1")[1].split("</h1>")[0]
    citations = dict(CITATION_RE.findall(page))
    for style in STYLES:
        # (Chicago and MLA set titles in title case.)
        assert "pythia — a suite – for analysis" in citations[style.key].lower()
        assert "Episode #5 – Workshop" in citations[style.key]
    listing = client.get(reverse("bibliography:paper-list")).content.decode()
    assert "Pythia — a suite – for analysis</a>" in listing
    # Addresses keep their hyphens; BibTeX keeps what was typed.
    export = client.get(reverse("bibliography:paper-export", args=[paper.slug, "json"]))
    item = json.loads(b"".join(export.streaming_content) if export.streaming else export.content)
    assert item[0]["URL"] == "https://example.org/a--b"


def test_proper_names_keep_their_capitals_where_a_style_lowers_case(client):
    paper = make_paper(
        title="Datasheet for the Pile: Programming in Python with BigScience",
        authors=[make_author("Biderman", "Stella")],
        entry_type="article",
    )
    page = client.get(paper.get_absolute_url()).content.decode()
    citations = dict(CITATION_RE.findall(page))
    assert "Datasheet for the Pile: Programming in Python with BigScience" in citations["apa"]
    assert "Datasheet for the Pile: Programming in Python with BigScience" in citations["mla"]


def test_loading_the_seed_renders_its_citations(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_seed", stdout=StringIO())
    papers = list(Paper.objects.all())
    assert len(papers) == 20
    for paper in papers:
        assert {f"style-{style.key}" for style in STYLES} <= stored_styles(paper).keys()
