"""citation-js's golden pairs: their BibTeX imported by us, our CSL-JSON against theirs.

citation-js (a widely used independent converter) publishes, for a BibTeX file, the
CSL-JSON it maps each entry to. We carry fewer fields than CSL has; on every field
both sides give, we must agree.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from bibliography.citations.csl import paper_to_csl
from bibliography.models import Paper
from tests.vendored import CORPUS, vendored_file

GOLDEN = CORPUS / "citation-js"
# Fields whose meaning is the same in both mappings. `type` is left out on purpose: for
# types CSL has no exact match for (booklet, misc, unpublished) the two mappings choose
# differently and both are valid CSL.
COMPARED = [
    "title",
    "author",
    "editor",
    "container-title",
    "issued",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "edition",
    "collection-title",
    "DOI",
    "URL",
    "note",
]

pytestmark = pytest.mark.django_db


# Where we read the BibTeX differently on purpose.
DELIBERATE = {
    # "May, Keith, and Ronzino, Paola": we take the stray comma for a typo (Keith May);
    # citation-js reads "Keith" as a suffix.
    ("doerr:report", "author"),
}
_TAG = re.compile(r"</?(i|b|sup|sub|span)[^>]*>")


def normalized(field, value, *, length=None):
    """Both sides in the form we store: plain text, one name form, the date parts we keep."""
    if isinstance(value, str):
        value = _TAG.sub("", value)  # citation-js writes \\textit as <i>; we keep plain text
    if field == "page":
        return value.replace("--", "-").replace("\u2013", "-")
    if field == "issued":
        return [parts[:length] for parts in value["date-parts"]]
    if field in ("author", "editor"):
        # A one-part name is {"literal": ...} in ours and {"family": ...} in theirs.
        return [
            {"literal": name.get("literal") or name.get("family")}
            if not name.get("given")
            else {"family": name["family"], "given": name["given"]}
            for name in value
        ]
    return value


@pytest.mark.parametrize("name", ["bibtex", "biblatex"])
def test_our_csl_json_agrees_with_citation_js(name):
    call_command(
        "import_bibtex",
        str(vendored_file(GOLDEN / f"{name}-input.bib")),
        "--skip-invalid",
        "--no-progress",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    csl_json = vendored_file(GOLDEN / f"{name}-csl.json").read_text()
    golden = {item["id"]: item for item in json.loads(csl_json)}
    papers = {p.citation_key: p for p in Paper.objects.for_list()}
    assert papers, "nothing was imported"

    compared, disagreements = 0, []
    for key, paper in papers.items():
        theirs = golden.get(key)
        if theirs is None:
            continue
        ours = paper_to_csl(paper)
        for field in COMPARED:
            if field in ours and field in theirs and (key, field) not in DELIBERATE:
                compared += 1
                length = len(ours["issued"]["date-parts"][0]) if field == "issued" else None
                if normalized(field, ours[field]) != normalized(
                    field, theirs[field], length=length
                ):
                    disagreements.append((key, field, ours[field], theirs[field]))
    assert compared > 40
    assert disagreements == [], "\n".join(map(repr, disagreements))
