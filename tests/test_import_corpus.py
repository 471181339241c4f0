"""Every .bib of the corpus (tests/data/corpus/) imports without a crash, with pinned outcomes.

The figures are (created, updated, skipped as duplicates, failed) on an empty
database with --skip-invalid. They were checked by hand when pinned: the failures
are entries with no title (biber's name-parsing tests) and unreadable blocks (a year
that is not one is kept aside, never an error); the duplicates are the
same title and year repeated (xampl's minimal/full variants, DBLP's CoRR copies).
"""

import pytest
from django.core.management import call_command

from bibliography.importing import ERROR, prepare_import, sources_from_paths
from bibliography.models import Author, Authorship, Paper
from tests.vendored import CORPUS, vendored_files

IRIDIA_ORDER = ["abbrev", "journals", "authors", "articles", "biblio", "crossref"]

EXPECTED = {
    "al-folio/Quentin-Anthony-papers.bib": (10, 0, 0, 0),
    "al-folio/al-folio-template-papers.bib": (7, 0, 0, 0),
    "al-folio/haileyschoelkopf-papers.bib": (6, 0, 0, 0),
    "zotero-bbt/Allow spaces between href arguments for import #2504.bib": (1, 0, 0, 0),
    "zotero-bbt/Math markup to unicode not always imported correctly #472.bib": (2, 0, 0, 0),
    "zotero-bbt/Overline during Import #1467.bib": (8, 0, 0, 0),
    "ads/astropy-CITATION.bib": (1, 0, 0, 0),
    "biber/annotations.bib": (1, 0, 1, 0),
    "biber/bibtex-aliases.bib": (5, 0, 1, 2),
    "biber/crossrefs.bib": (24, 0, 17, 5),
    "biber/datalists.bib": (7, 0, 3, 7),
    "biber/dateformats.bib": (15, 0, 15, 4),
    "biber/dm-constraints.bib": (1, 0, 7, 2),
    "biber/encoding1.bib": (1, 0, 0, 0),
    "biber/encoding2.bib": (1, 0, 0, 0),
    "biber/encoding3.bib": (1, 0, 0, 0),
    "biber/encoding4.bib": (1, 0, 0, 0),
    "biber/encoding5.bib": (1, 0, 0, 0),
    "biber/encoding6.bib": (1, 0, 0, 0),
    "biber/examples.bib": (90, 0, 14, 28),
    "biber/extradate.bib": (13, 0, 7, 8),
    "biber/extratitle.bib": (9, 0, 2, 1),
    "biber/extratitleyear.bib": (3, 0, 4, 1),
    "biber/full-bbl.bib": (4, 0, 0, 0),
    "biber/full-bibtex_biber.bib": (2, 0, 1, 0),
    "biber/full-dot.bib": (31, 0, 12, 7),
    "biber/labelalpha.bib": (31, 0, 10, 7),
    "biber/labelalphaname.bib": (0, 0, 0, 6),
    "biber/maps.bib": (0, 0, 0, 4),
    "biber/names.bib": (0, 0, 0, 40),
    "biber/names_x.bib": (0, 0, 0, 28),
    "biber/options.bib": (3, 0, 0, 0),
    "biber/related.bib": (8, 0, 0, 4),
    "biber/sections1.bib": (3, 0, 0, 0),
    "biber/sections2.bib": (2, 0, 0, 0),
    "biber/sections3.bib": (2, 0, 0, 0),
    "biber/sections4.bib": (2, 0, 0, 0),
    "biber/sets.bib": (8, 0, 1, 1),
    "biber/skips.bib": (10, 0, 0, 1),
    "biber/skipsg.bib": (3, 0, 0, 0),
    "biber/sort-case.bib": (2, 0, 1, 0),
    "biber/sort-names.bib": (0, 0, 0, 4),
    "biber/sort-order.bib": (11, 0, 0, 0),
    "biber/sort-uc.bib": (3, 0, 1, 2),
    "biber/sort.bib": (5, 0, 0, 0),
    "biber/tool.bib": (7, 0, 0, 11),
    "biber/translit.bib": (17, 0, 0, 0),
    "biber/truncation.bib": (7, 0, 3, 0),
    "biber/uniqueness-nameparts.bib": (0, 0, 0, 7),
    "biber/uniqueness1.bib": (4, 0, 13, 14),
    "biber/uniqueness2.bib": (4, 0, 5, 11),
    "biber/uniqueness3.bib": (8, 0, 2, 0),
    "biber/uniqueness4.bib": (0, 0, 0, 32),
    "biber/uniqueness5.bib": (0, 0, 0, 15),
    "biber/uniqueness6.bib": (0, 0, 0, 7),
    "biber/uniqueness7.bib": (4, 0, 5, 0),
    "biber/xdata.bib": (2, 0, 0, 24),
    "bibtexparser-v1/article.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_comma_first.bib": (1, 0, 1, 0),
    "bibtexparser-v1/article_comma_first_and_trailing_comma_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_comma_normal_multiple.bib": (3, 0, 0, 0),
    "bibtexparser-v1/article_comma_normal_single.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_field_name_with_underscore.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_homogenize.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_missing_coma.bib": (1, 0, 3, 0),
    "bibtexparser-v1/article_multilines.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_no_braces.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_oneline.bib": (1, 0, 1, 0),
    "bibtexparser-v1/article_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_start_with_bom.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_start_with_whitespace.bib": (2, 0, 0, 0),
    "bibtexparser-v1/article_trailing_comma_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_annotation.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_annotation_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_protection_braces.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_special_characters.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_strings.bib": (1, 0, 0, 0),
    "bibtexparser-v1/article_with_strings_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/biber-examples.bib": (87, 0, 13, 18),
    "bibtexparser-v1/book.bib": (1, 0, 0, 0),
    "bibtexparser-v1/book_bom.bib": (1, 0, 0, 0),
    "bibtexparser-v1/book_capital_AND.bib": (1, 0, 0, 0),
    "bibtexparser-v1/book_comma_first.bib": (1, 0, 0, 0),
    "bibtexparser-v1/book_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/comments_only.bib": (0, 0, 0, 0),
    "bibtexparser-v1/comments_only_output.bib": (0, 0, 0, 0),
    "bibtexparser-v1/comments_percentage.bib": (1, 0, 1, 0),
    "bibtexparser-v1/comments_percentage_nolastcoma.bib": (1, 0, 1, 0),
    "bibtexparser-v1/comments_spaces_and_declarations.bib": (1, 0, 0, 0),
    "bibtexparser-v1/common_strings.bib": (0, 0, 0, 0),
    "bibtexparser-v1/crossref_cascading.bib": (0, 0, 3, 1),
    "bibtexparser-v1/crossref_cascading_aliases.bib": (2, 0, 1, 0),
    "bibtexparser-v1/crossref_cascading_cycle.bib": (0, 0, 2, 0),
    "bibtexparser-v1/crossref_entries.bib": (10, 0, 4, 0),
    "bibtexparser-v1/crossref_missing_entries.bib": (1, 0, 0, 0),
    "bibtexparser-v1/empty.bib": (0, 0, 0, 0),
    "bibtexparser-v1/encoding.bib": (1, 0, 0, 0),
    "bibtexparser-v1/features.bib": (1, 0, 0, 0),
    "bibtexparser-v1/features2.bib": (1, 0, 0, 0),
    "bibtexparser-v1/features_output.bib": (1, 0, 0, 0),
    "bibtexparser-v1/fieldname.bib": (0, 0, 0, 1),
    "bibtexparser-v1/multiline_comments.bib": (0, 0, 0, 0),
    "bibtexparser-v1/multiple_entries.bib": (3, 0, 0, 0),
    "bibtexparser-v1/multiple_entries_and_comments.bib": (3, 0, 0, 0),
    "bibtexparser-v1/multiple_entries_and_comments_output.bib": (3, 0, 0, 0),
    "bibtexparser-v1/multiple_entries_output.bib": (3, 0, 0, 0),
    "bibtexparser-v1/string.bib": (1, 0, 0, 0),
    "bibtexparser-v1/traps.bib": (1, 0, 0, 0),
    "bibtexparser-v1/website.bib": (1, 0, 0, 0),
    "bibtexparser-v1/wrong.bib": (0, 0, 0, 2),
    "bibtexparser-v1/xref_entries.bib": (8, 0, 0, 0),
    "bibtexparser-v1/xref_missing_entries.bib": (1, 0, 0, 0),
    "citation-js/biblatex-input.bib": (28, 0, 0, 0),
    "citation-js/biblatex-output.bib": (28, 0, 0, 0),
    "citation-js/bibtex-input.bib": (9, 0, 7, 0),
    "citation-js/bibtex-output.bib": (6, 0, 10, 0),
    "community/bigbio-as-cited.bib": (1, 0, 0, 0),
    "community/malformed-unclosed-entry.bib": (0, 0, 0, 2),
    "community/seed-works-as-cited.bib": (17, 0, 10, 0),
    "community/stress-and-quirks.bib": (4, 0, 0, 0),
    "dblp/dblp-standard.bib": (92, 0, 26, 0),
    "dblp/dblp-withcrossref.bib": (92, 0, 65, 0),
    "dblp/dblp.bib": (90, 0, 28, 0),
    "hugo-blox/cusack-etal-2019-cite.bib": (1, 0, 0, 0),
    "hugo-blox/samoan-passage-mixing-cite.bib": (1, 0, 0, 0),
    "pybtex/IEEEtran.bib": (4, 0, 0, 1),
    "pybtex/cyrillic.bib": (5, 0, 0, 0),
    "pybtex/extrafields.bib": (1, 0, 0, 0),
    "pybtex/xampl.bib": (14, 0, 19, 3),
    "pybtex/xampl_mixed.bib": (14, 0, 19, 3),
    "scale/tugboat-biber.bib": (3627, 0, 17, 0),
    "scale/tugboat-pybtex.bib": (2701, 0, 17, 2),
}


def corpus_files():
    return sorted(
        str(path.relative_to(CORPUS))
        for path in vendored_files(CORPUS)
        if not str(path.relative_to(CORPUS)).startswith("iridia/")
    )


def test_the_pinned_list_covers_the_whole_corpus():
    assert sorted(EXPECTED) == corpus_files()


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("name", corpus_files())
def test_corpus_file_imports_with_pinned_counts(name):
    plan = prepare_import(sources_from_paths([CORPUS / name]))
    created, updated, skipped, failed = EXPECTED[name]
    assert plan.counts == {
        "create": created,
        "update": updated,
        "skip-duplicate": skipped,
        "error": failed,
    }
    for item in plan.errors:
        assert item.reason and item.line >= 1
    from bibliography.importing import apply_plan

    result = apply_plan(plan, skip_invalid=True)
    assert Paper.objects.count() == result.created == created


@pytest.mark.django_db
def test_iridia_files_import_together_in_their_documented_order():
    paths = [CORPUS / "iridia" / f"{name}.bib" for name in IRIDIA_ORDER]
    plan = prepare_import(sources_from_paths(paths))
    # Authors are @string macros from authors.bib, journals from journals.bib: all resolved.
    assert not [item for item in plan.items if any("undefined" in n for n in item.notes)]
    # The 421 crossref'd proceedings and books give their fields to their papers, and are
    # not papers of their own (--with-crossref-parents imports them).
    assert plan.counts == {"create": 2866, "update": 0, "skip-duplicate": 439, "error": 0}
    call_command("import_bibtex", *paths, verbosity=0)
    assert Paper.objects.count() == 2866
    assert Paper.objects.filter(venue__name="European Journal of Operational Research").exists()
    stuetzle = Author.objects.filter(family_name="Stützle")
    assert stuetzle.count() == 1 and Authorship.objects.filter(author=stuetzle[0]).count() > 100
    # Crossref'd proceedings gave their booktitle to the papers that cite them.
    inproceedings = Paper.objects.filter(entry_type="inproceedings")
    assert inproceedings.count() == 304
    assert not inproceedings.filter(booktitle="").exists()
    # abbrev.bib's @preamble defines \rpackage, \proglang and \MaxMinAntSystem, which titles
    # use: they read as the names they stand for, not as LaTeX kept as written.
    titles = set(Paper.objects.values_list("title", flat=True))
    assert "mlr: Machine Learning in R" in titles
    assert "MAX–MIN Ant System for the Quadratic Assignment Problem" in titles
    assert not [t for t in titles if "\\rpackage" in t or "\\proglang" in t or "MaxMin" in t]


@pytest.mark.django_db
def test_iridia_articles_alone_report_the_macros_they_lack():
    plan = prepare_import(sources_from_paths([CORPUS / "iridia" / "articles.bib"]))
    undefined = [item for item in plan.items if any("undefined @string" in n for n in item.notes)]
    assert len(undefined) > 1000


@pytest.mark.django_db
def test_unclosed_entry_is_reported_with_its_line_number():
    plan = prepare_import(sources_from_paths([CORPUS / "community/malformed-unclosed-entry.bib"]))
    errors = [(item.line, item.key) for item in plan.items if item.action == ERROR]
    assert errors == [(4, "van2025polypythias"), (13, "gao2020pile")]
    assert "Unexpectedly reached end of file" in plan.errors[1].reason
