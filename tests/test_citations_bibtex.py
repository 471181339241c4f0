"""BibTeX export: what real readers (pybtex, bibtexparser, the `bibtex` program) make of it."""

import re

import bibtexparser
import pytest
from django.urls import reverse

from bibliography.citations.bibtex import format_name, papers_to_bibtex, protect_capitals
from bibliography.citations.csl import paper_to_csl
from bibliography.citations.ris import ris_lines
from bibliography.citations.scholar import highwire_tags
from bibliography.importing.latex import latex_to_unicode
from bibliography.models import Author, Paper
from tests.citation_library import (
    HOSTILE_ABSTRACT,
    HOSTILE_TITLE,
    build_citation_library,
    get_bib,
    read_both,
    run_bibtex,
)
from tests.factories import make_paper, make_venue


@pytest.fixture
def library(db):
    return build_citation_library()


def test_whole_list_reads_back_the_same_in_pybtex_and_bibtexparser(client, library):
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    entries = read_both(text)
    published = Paper.objects.published()
    assert len(entries) == published.count() == len(library) - 1
    assert "A draft nobody sees" not in text


def test_each_paper_export_reads_back_the_same_as_in_the_list(client, library):
    _, whole = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    listed = read_both(whole)
    for paper in Paper.objects.published():
        _, text = get_bib(client, reverse("bibliography:paper-export", args=[paper.slug, "bib"]))
        (entry,) = read_both(text).values()
        assert entry in listed.values()


def test_real_bibtex_reads_the_whole_list_without_warnings(client, library, tmp_path):
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]))
    log = run_bibtex(tmp_path, text)
    assert "Warning" not in log and "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    assert bbl.count("\\bibitem") == Paper.objects.published().count()
    # plain.bst lowers title case except what is protected.
    assert "{GPT-NeoX-20B}" in bbl and "{LAION-5B}" in bbl


def test_real_bibtex_reads_the_ascii_variant_without_warnings(client, library, tmp_path):
    _, text = get_bib(client, reverse("bibliography:paper-list-export", args=["bib"]), ascii="")
    assert text.isascii()
    log = run_bibtex(tmp_path, text)
    assert "Warning" not in log and "error" not in log.lower(), log


@pytest.mark.parametrize("ascii", [False, True])
def test_every_text_field_decodes_back_to_what_the_editor_typed(library, ascii):
    paper = Paper.objects.for_list().get(pk=library["hostile"].pk)
    (entry,) = bibtexparser.parse_string(papers_to_bibtex([paper], ascii=ascii)).entries
    if ascii:
        # Emoji and Arabic have no LaTeX spelling: the ASCII file names their code points.
        assert "{\\texttt{U+1F600}}" in entry["title"]
    else:
        assert latex_to_unicode(entry["title"]) == HOSTILE_TITLE
        assert latex_to_unicode(entry["abstract"], paragraphs=True) == HOSTILE_ABSTRACT
        assert latex_to_unicode(entry["note"]) == "100% {unbalanced"
        assert latex_to_unicode(entry["series"]) == "LNCS #5 & co."
        assert latex_to_unicode(entry["booktitle"]) == "Workshop on $ & % # _ {Braces} ~ ^ \\"
    assert "\\input{" not in entry["title"] and "\\end{document}" not in entry["abstract"]
    # The key lost what BibTeX cannot hold in a key.
    assert entry.key == "hostile-key-1---x"
    assert entry["url"] == "https://example.org/a_b?x=1&y=%20#frag"


def test_ascii_variant_writes_latex_accents_that_decode_back(library):
    paper = Paper.objects.for_list().get(pk=library["phdthesis"].pk)
    text = papers_to_bibtex([paper], ascii=True)
    assert text.isascii()
    assert "Fuente, Mar{\\'\\i}a" in text or "Fuente, Mar{\\'i}a" in text
    (entry,) = bibtexparser.parse_string(text).entries
    assert latex_to_unicode(entry["author"]) == "de la Fuente, María"
    assert latex_to_unicode(entry["title"]) == "A thesis on Élan vital"
    schoelkopf = Paper.objects.for_list().get(pk=library["article"].pk)
    assert 'Sch{\\"o}lkopf, Bernhard' in papers_to_bibtex([schoelkopf], ascii=True)


def test_entry_types_and_fields_follow_bibtex_conventions(library):
    entries = {
        name: bibtexparser.parse_string(
            papers_to_bibtex([Paper.objects.for_list().get(pk=paper.pk)])
        ).entries[0]
        for name, paper in library.items()
    }
    article = entries["article"]
    assert article.entry_type == "article"
    assert article["journal"] == "Transactions of the Association for Computational Linguistics"
    assert "booktitle" not in article.fields_dict
    assert article["pages"] == "50--72" and article["doi"] == "10.1162/tacl_a_00447"
    assert (
        article["author"] == "Biderman, Stella and van der Wal, Jr, Oskar and Schölkopf, Bernhard"
    )
    neox = entries["gpt_neox"]
    assert neox.entry_type == "inproceedings" and "journal" not in neox.fields_dict
    # A literal "--" is kept two hyphens (not an en dash) by breaking the ligature.
    assert neox["booktitle"].startswith("Proceedings of BigScience Episode \\#5 -{}- Workshop")
    assert neox["pages"] == "95--136"
    assert (neox["eprint"], neox["archiveprefix"], neox["primaryclass"]) == (
        "2204.06745",
        "arXiv",
        "cs.CL",
    )
    assert neox["title"] == "{GPT-NeoX-20B}: An Open-Source Autoregressive Language Model"
    assert neox["author"] == "Biderman, Stella and Laurençon, Hugo and EleutherAI"
    assert entries["laion"]["booktitle"] == "Advances in Neural Information Processing Systems"
    assert entries["laion"]["author"].endswith(" and others")
    assert entries["laion"]["title"].startswith("{LAION-5B}: An open")
    preprint = entries["preprint"]
    assert preprint.entry_type == "misc"
    assert preprint["howpublished"] == f"arXiv preprint arXiv:{library['preprint'].arxiv_id}"
    assert preprint["author"] == (
        "de la Fuente, María and King, III, Martin Luther and {BigScience Workshop} and others"
    )
    assert preprint["title"] == (
        "Beyond the {Imitation} {Game}: Quantifying and extrapolating the capabilities of "
        "language models"
    )
    assert entries["arxiv_article"]["journal"] == "arXiv preprint arXiv:2201.07311"
    blog = entries["blog_post"]
    assert blog["howpublished"] == "LessWrong" and "author" not in blog.fields_dict
    # Sorted and, in natbib styles, labelled by its title, never by the venue.
    assert blog["key"] == library["blog_post"].title and "year" not in blog.fields_dict
    # A co-author whose place in the byline is unknown is not written: the list goes on.
    assert entries["incl_only"]["author"] == "Sanh, Ada and others"
    assert entries["corporate"]["author"] == ("{BigScience Workshop} and {Barnes and Noble, Inc.}")
    assert entries["corporate"]["institution"] == "Hugging Face"
    assert entries["phdthesis"]["school"] == "Universidad de Buenos Aires"
    assert entries["book"]["publisher"] == "O'Reilly \\& Associates"
    assert entries["hostile"]["pages"] == "1--2"


def test_month_is_an_unquoted_macro(library):
    text = papers_to_bibtex([Paper.objects.for_list().get(pk=library["gpt_neox"].pk)])
    assert re.search(r"^\s*month = may,?$", text, re.MULTILINE)
    assert re.search(r"^\s*year = \{2022\},?$", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"given_name": "Stella", "family_name": "Biderman"}, "Biderman, Stella"),
        (
            {"given_name": "Oskar", "particle": "van der", "family_name": "Wal", "suffix": "Jr"},
            "van der Wal, Jr, Oskar",
        ),
        ({"family_name": "BigScience Workshop"}, "{BigScience Workshop}"),
        ({"family_name": "EleutherAI"}, "EleutherAI"),
        ({"given_name": "Ann", "family_name": "Smith and Jones"}, "{Smith and Jones}, Ann"),
        ({"given_name": "Ann", "family_name": "others"}, "{others}, Ann"),
        ({"given_name": "Zoë", "family_name": "100% O'Neil_x"}, "100\\% O'Neil\\_x, Zoë"),
    ],
)
def test_names_are_written_in_bibtex_name_syntax(parts, expected):
    assert format_name(Author(**parts)) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("LAION-5B: An open dataset", "{LAION-5B}: An open dataset"),
        ("Cut the CARP: Fishing for zero-shot", "Cut the {CARP}: Fishing for zero-shot"),
        # Title Case cannot tell names from words: the style decides.
        ("Prompted Training Enables Zero-Shot Tasks", "Prompted Training Enables Zero-Shot Tasks"),
        ("Train with one million GPU hours?", "Train with one million {GPU} hours?"),
        ("T0 and the iPhone (BigScience)", "{T0} and the {iPhone} ({BigScience})"),
        # In sentence case, a capital after the first word is a name.
        ("Documenting the English colossal corpus", "Documenting the {English} colossal corpus"),
        ("Open-Source Models", "Open-Source Models"),
        (
            "What Language Model to Train if You Have GPU Hours?",
            "What Language Model to Train if You Have {GPU} Hours?",
        ),
        (
            "Crosslingual Generalization through Multitask Finetuning",
            "Crosslingual Generalization through Multitask Finetuning",
        ),
        ("_Under score", "{{\\_Under}} score"),
    ],
)
def test_capitals_that_must_stay_capitals_are_braced(title, expected):
    assert protect_capitals(title) == expected


def test_content_type_and_download_filename(client, library):
    paper = library["gpt_neox"]
    url = reverse("bibliography:paper-export", args=[paper.slug, "bib"])
    response = client.get(url)
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert "Content-Disposition" not in response
    response = client.get(url, {"download": ""})
    assert response["Content-Disposition"] == f'attachment; filename="{paper.slug}.bib"'
    response = client.get(
        reverse("bibliography:paper-list-export", args=["bib"]), {"download": "1"}
    )
    assert response.streaming
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="publications.bib"'


def test_drafts_and_unknown_papers_are_not_found(client, library):
    for slug in (library["draft"].slug, "no-such-paper"):
        response = client.get(reverse("bibliography:paper-export", args=[slug, "bib"]))
        assert response.status_code == 404


def test_list_export_runs_the_same_queries_for_few_or_many_papers(
    client, db, django_assert_num_queries
):
    url = reverse("bibliography:paper-list-export", args=["bib"])
    for count in (3, 30):
        Paper.objects.all().delete()
        for _ in range(count):
            make_paper(authors=["Smith", "Jones"])
        # Whether any entry is missing (for the rate limit), then the list with the stored
        # entries; none is current, so the chunk's papers with their venues, then their
        # bylines, the bylines' authors and roles, are read and the entries stored (in a
        # savepoint).
        with django_assert_num_queries(9):
            _, first = get_bib(client, url)
        assert first.count("@misc{") == count
        # Once stored, that check and the list's one query are the whole export.
        with django_assert_num_queries(2):
            _, again = get_bib(client, url)
        assert again == first


def test_list_export_takes_the_list_page_parameters_and_every_page(client, library):
    url = reverse("bibliography:paper-list-export", args=["bib"])
    _, text = get_bib(client, url, type="article", page="2")
    assert set(read_both(text)) == {"anon2022quality", "anon2022datasheet"}
    _, text = get_bib(client, url, venue=library["article"].venue.slug, sort="title")
    assert set(read_both(text)) == {"anon2022quality"}
    # An unusable value is ignored as the list page ignores it, never a 500.
    _, text = get_bib(client, url, year="not-a-year")
    assert len(read_both(text)) == Paper.objects.published().count()


@pytest.mark.parametrize(
    ("pages", "bibtex_pages", "first_and_last"),
    [
        ("95-136", "95--136", ("95", "136")),
        ("95 – 136", "95--136", ("95", "136")),
        ("95\u2212136", "95--136", ("95", "136")),
        ("e12", "e12", ("e12", "")),
        # TUGboat's page ids: the hyphen in "M-1" is part of the page, the "--" separates.
        ("M-1--M-14", "M-1--M-14", ("M-1", "M-14")),
        ("S-12 – S-15", "S-12--S-15", ("S-12", "S-15")),
        ("850---858", "850--858", ("850", "858")),
    ],
)
def test_one_page_range_rule_for_every_format(db, pages, bibtex_pages, first_and_last):
    paper = Paper.objects.for_list().get(pk=make_paper(title="Pages", pages=pages).pk)
    (entry,) = bibtexparser.parse_string(papers_to_bibtex([paper])).entries
    assert entry["pages"] == bibtex_pages
    assert paper_to_csl(paper)["page"] == bibtex_pages.replace("--", "-")
    ris = dict(ris_lines(paper))
    assert (ris.get("SP", ""), ris.get("EP", "")) == first_and_last
    tags = dict(highwire_tags(paper, lambda url: url))
    assert (tags.get("citation_firstpage", ""), tags.get("citation_lastpage", "")) == first_and_last


def test_a_books_venue_is_its_series_which_book_styles_print(db, tmp_path):
    paper = make_paper(
        title="Seminumerical Algorithms",
        authors=["Knuth"],
        entry_type="book",
        venue=make_venue(name="The Art of Computer Programming"),
        booktitle="The Art of Computer Programming",
        publisher="Addison-Wesley",
        volume="2",
    )
    text = papers_to_bibtex([Paper.objects.for_list().get(pk=paper.pk)])
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry["series"] == "The Art of Computer Programming"
    assert "booktitle" not in entry.fields_dict and "howpublished" not in entry.fields_dict
    log = run_bibtex(tmp_path, text)
    assert "Warning" not in log, log
    bbl = " ".join((tmp_path / "doc.bbl").read_text().split())
    assert "volume~2 of {\\em The Art of Computer Programming}" in bbl
