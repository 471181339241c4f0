"""A broad library for the citation tests: every entry type, every name form, hostile text;
and the helpers that read exports back through real tools (bibtexparser, pybtex, bibtex).

Each paper here carries what plain.bst requires of its type, so the real `bibtex`
program must read the whole list without a single warning.
"""

import shutil
import subprocess

import bibtexparser
import pybtex.database

from bibliography.models import Author, Authorship, Award, ContributionRole, Paper, Venue
from tests.factories import give_role, make_author, make_paper, make_venue

PYBTEX_MONTHS = {
    "January": "jan", "February": "feb", "March": "mar", "April": "apr", "May": "may",
    "June": "jun", "July": "jul", "August": "aug", "September": "sep", "October": "oct",
    "November": "nov", "December": "dec",
}  # fmt: skip


HOSTILE_TITLE = (
    'Hostile }{ title: 100% \\input{x} <script>alert("x")</script> & $5 #1 a_b ~c ^d \\\\ '
    "emoji 😀 and RTL مرحبا بالعالم"
)
HOSTILE_ABSTRACT = "First }{ paragraph with </script> and %.\n\nSecond paragraph: \\end{document}"


def build_citation_library() -> dict[str, Paper]:
    """Create the library and return its papers by a short name."""
    neurips = make_venue(
        name="Advances in Neural Information Processing Systems", short_name="NeurIPS"
    )
    tacl = make_venue(
        name="Transactions of the Association for Computational Linguistics",
        short_name="TACL",
        kind=Venue.Kind.JOURNAL,
    )
    arxiv = make_venue(name="arXiv", short_name="arXiv", kind=Venue.Kind.PREPRINT)
    blog = make_venue(name="LessWrong", short_name="LessWrong", kind=Venue.Kind.BLOG)
    hostile_venue = make_venue(name="Workshop on $ & % # _ {Braces} ~ ^ \\", short_name="W&S")

    biderman = make_author("Biderman", "Stella")
    van_der_wal = make_author("Wal", "Oskar", particle="van der", suffix="Jr")
    schoelkopf = make_author("Schölkopf", "Bernhard")
    laurencon = make_author("Laurençon", "Hugo")
    de_la_fuente = make_author("Fuente", "María", particle="de la")
    king = make_author("King", "Martin Luther", suffix="III")
    bigscience = Author.objects.create(family_name="BigScience Workshop")
    eleuther = Author.objects.create(family_name="EleutherAI", is_organization=True)
    sons = Author.objects.create(family_name="Barnes and Noble, Inc.")
    hostile_author = make_author("O'Brien {&} 100%", "Zoë_~^")

    papers = {}
    papers["article"] = make_paper(
        title="Quality at a glance: An audit of web-crawled multilingual datasets",
        authors=[biderman, van_der_wal, schoelkopf],
        entry_type="article",
        venue=tacl,
        volume="10",
        number="1",
        pages="50-72",
        month=1,
        doi="10.1162/tacl_a_00447",
        url="https://aclanthology.org/2022.tacl-1.4/",
        pdf_url="https://aclanthology.org/2022.tacl-1.4.pdf",
        publisher="MIT Press",
        abstract="With the success of large-scale pre-training.\n\nWe audit 205 datasets.",
    )
    papers["gpt_neox"] = make_paper(
        title="GPT-NeoX-20B: An Open-Source Autoregressive Language Model",
        authors=[biderman, laurencon, eleuther],
        entry_type="inproceedings",
        venue=make_venue(name="BigScience Workshop", short_name="BigScience"),
        booktitle=(
            "Proceedings of BigScience Episode #5 -- Workshop on Challenges & Perspectives "
            "in Creating Large Language Models"
        ),
        pages="95–136",
        month=5,
        doi="10.18653/v1/2022.bigscience-1.9",
        arxiv_id="2204.06745",
        arxiv_primary_class="cs.CL",
        code_url="https://github.com/EleutherAI/gpt-neox",
    )
    # Marks in the byline never reach an exported name.
    give_role(papers["gpt_neox"], [1, 2])
    give_role(papers["gpt_neox"], [2], slug=ContributionRole.CORRESPONDING_AUTHOR)
    papers["laion"] = make_paper(
        title=(
            "LAION-5B: An open large-scale dataset for training next generation image-text models"
        ),
        authors=["Schuhmann", biderman],
        entry_type="inproceedings",
        venue=neurips,
        authors_partial=True,
        url="https://openreview.net/forum?id=M3Y74vmsMcY",
    )
    papers["laion"].awards.add(Award.objects.create(name="Outstanding Paper Award"))
    papers["preprint"] = make_paper(
        title="Beyond the Imitation Game: Quantifying and extrapolating the capabilities of "
        "language models",
        authors=[de_la_fuente, king, bigscience],
        entry_type="misc",
        venue=arxiv,
        arxiv_id="2206.04615",
        arxiv_primary_class="cs.CL",
        authors_partial=True,
    )
    papers["arxiv_article"] = make_paper(
        title="Datasheet for the Pile",
        authors=[biderman, "Bicheno"],
        entry_type="article",
        venue=arxiv,
        arxiv_id="2201.07311",
    )
    papers["blog_post"] = make_paper(
        title="Towards Deconfusing Gradient Hacking",
        entry_type="misc",
        venue=blog,
        year=None,
        url="https://www.lesswrong.com/posts/example",
    )
    papers["incl_only"] = make_paper(
        title="T0 and friends: a study of Multitask prompting",
        authors=["Sanh", biderman],
        entry_type="misc",
        venue=neurips,
        year=2021,
    )
    Authorship.objects.filter(paper=papers["incl_only"], author=biderman).update(order_known=False)
    papers["corporate"] = make_paper(
        title="BLOOM: A 176B-parameter open-access multilingual language model",
        authors=[bigscience, sons],
        entry_type="techreport",
        extra_fields={"institution": "Hugging Face", "type": "Technical Report"},
    )
    papers["book"] = make_paper(
        title="The Book of Names",
        authors=[king],
        entry_type="book",
        publisher="O'Reilly & Associates",
        extra_fields={"address": "Sebastopol, CA", "edition": "Second"},
    )
    papers["incollection"] = make_paper(
        title="A chapter in a collection",
        authors=[laurencon],
        entry_type="incollection",
        booktitle="Collected Essays on Data",
        publisher="Springer",
        pages="1-20",
        extra_fields={"editor": "Smith, John and Doe, Jane"},
    )
    papers["inbook"] = make_paper(
        title="Part of a book",
        authors=[schoelkopf],
        entry_type="inbook",
        publisher="MIT Press",
        pages="7--9",
        extra_fields={"chapter": "3"},
    )
    papers["phdthesis"] = make_paper(
        title="A thesis on Élan vital",
        authors=[de_la_fuente],
        entry_type="phdthesis",
        extra_fields={"school": "Universidad de Buenos Aires"},
    )
    papers["mastersthesis"] = make_paper(
        title="A master's thesis",
        authors=[van_der_wal],
        entry_type="mastersthesis",
        extra_fields={"school": "Universiteit van Amsterdam"},
    )
    papers["proceedings"] = make_paper(
        title="Proceedings of the Workshop on Everything",
        entry_type="proceedings",
        extra_fields={"editor": "Biderman, Stella", "organization": "ACL"},
    )
    papers["manual"] = make_paper(title="The Site Manual", authors=[eleuther], entry_type="manual")
    papers["booklet"] = make_paper(
        title="A booklet",
        authors=[biderman],
        entry_type="booklet",
        extra_fields={"howpublished": "Handed out"},
    )
    papers["unpublished"] = make_paper(
        title="Notes never published",
        authors=[biderman],
        entry_type="unpublished",
        extra_fields={"note": "Talk at the lab, 50% slides"},
    )
    papers["hostile"] = make_paper(
        title=HOSTILE_TITLE,
        authors=[hostile_author, biderman],
        entry_type="inproceedings",
        venue=hostile_venue,
        abstract=HOSTILE_ABSTRACT,
        citation_key="hostile key{1},%x",
        pages="1 - 2",
        url="https://example.org/a_b?x=1&y=%20#frag",
        extra_fields={"note": "100% {unbalanced", "series": "LNCS #5 & co."},
    )
    papers["draft"] = make_paper(title="A draft nobody sees", authors=[biderman], published=False)
    return papers


def get_bib(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def read_both(text: str) -> dict[str, dict[str, str]]:
    """Parse with bibtexparser and pybtex; assert they agree; return the entries' raw fields."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    # BibTeX reads any run of white space as one space; pybtex says so, bibtexparser keeps it.
    ours = {
        entry.key: {
            "ENTRYTYPE": entry.entry_type,
            **{field.key: " ".join(field.value.split()) for field in entry.fields},
        }
        for entry in library.entries
    }
    theirs = {}
    for key, entry in pybtex.database.parse_string(text, "bibtex").entries.items():
        fields = {"ENTRYTYPE": entry.type}
        for name, value in entry.fields.items():
            fields[name.lower()] = PYBTEX_MONTHS.get(value, value) if name == "month" else value
        for role, persons in entry.persons.items():
            fields[role.lower()] = " and ".join(str(person) for person in persons)
        theirs[key] = fields
    assert ours == theirs
    return ours


def run_bibtex(tmp_path, text: str, style: str = "plain") -> str:
    """Run the real bibtex with `style`.bst over `text`; return its log (and doc.bbl beside)."""
    bibtex = shutil.which("bibtex")
    assert bibtex, "the bibtex program is needed (Debian: texlive-binaries texlive-base)"
    (tmp_path / "lib.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{lib}\n\\bibstyle{" + style + "}\n")
    result = subprocess.run(
        [bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=60
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return log
