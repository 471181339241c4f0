"""Import against the seed and the exporter: nothing twice, nothing lost on a round trip."""

import pytest

from bibliography.citations.bibtex import entry_key, papers_to_bibtex
from bibliography.importing import Source, apply_plan, prepare_import, sources_from_paths
from bibliography.importing.planning import title_key
from bibliography.models import Author, Paper
from tests.test_import_corpus import corpus_files
from tests.vendored import CORPUS


def export_all() -> str:
    """Every paper as BibTeX, in the order of the keys the file gives them (the export
    rewrites what BibTeX cannot hold in a key: `kṣetra` is `k-etra` on the way back)."""
    return papers_to_bibtex(sorted(Paper.objects.for_list(), key=lambda p: (entry_key(p), p.pk)))


def reimport_into_empty_database(text: str) -> str:
    Paper.objects.all().delete()
    Author.objects.all().delete()
    plan = prepare_import([Source("export.bib", text)])
    assert plan.counts["error"] == 0, [i.reason for i in plan.errors]
    apply_plan(plan)
    return export_all()


@pytest.mark.django_db
def test_community_citations_of_the_seed_add_no_seed_work_twice(seed):
    seed_titles = set(Paper.objects.values_list("title", flat=True))
    seed_count, authors = Paper.objects.count(), Author.objects.count()
    plan = prepare_import(sources_from_paths([CORPUS / "community/seed-works-as-cited.bib"]))
    apply_plan(plan, skip_invalid=True)
    assert Paper.objects.count() == seed_count + plan.counts["create"]
    # Seven seed works are cited there (some several times, with other titles' case, DOIs
    # or only an arXiv URL); every such entry was matched, none created.
    matched = {item.existing_id for item in plan.items if item.existing_id}
    assert len(matched) == 7
    seed_keys = {title_key(title, None)[0] for title in seed_titles}
    created = [item.title for item in plan.items if item.action == "create"]
    assert not [title for title in created if title_key(title, None)[0] in seed_keys]
    for title in seed_titles:
        assert Paper.objects.filter(title=title).count() == 1
    assert Author.objects.filter(family_name="Biderman").count() == 1
    assert Author.objects.count() - authors < 200


@pytest.mark.django_db
def test_seed_round_trip_is_identical(seed):
    first = export_all()
    assert reimport_into_empty_database(first) == first


@pytest.mark.django_db
def test_xampl_round_trip_is_identical():
    apply_plan(prepare_import(sources_from_paths([CORPUS / "pybtex/xampl.bib"])), skip_invalid=True)
    first = export_all()
    assert reimport_into_empty_database(first) == first


@pytest.mark.django_db
@pytest.mark.parametrize("name", corpus_files())
def test_every_corpus_file_round_trips_identically(name):
    """Export -> import into an empty database -> export changes nothing, file by file."""
    apply_plan(prepare_import(sources_from_paths([CORPUS / name])), skip_invalid=True)
    first = export_all()
    assert reimport_into_empty_database(first) == first


@pytest.mark.django_db
def test_an_eccc_report_merged_with_its_corr_copy_keeps_both_eprints():
    """DBLP lists a paper's CoRR copy (eprinttype arXiv) and its ECCC report (eprinttype
    ECCC); merged, the export writes each so that neither reads back as the other."""
    apply_plan(prepare_import(sources_from_paths([CORPUS / "dblp/dblp-standard.bib"])))
    paper = Paper.objects.get(title__startswith="The Coin Problem in Constant Depth")
    entry = papers_to_bibtex([paper])
    assert "eprint = {TR18-157}" in entry
    assert "eprinttype = {ECCC}" in entry
    assert "arxiv = {1809.04092}" in entry
    assert "archiveprefix" not in entry

    reimport_into_empty_database(entry)
    again = Paper.objects.get()
    assert again.arxiv_id == "1809.04092"
    assert again.extra_fields_dict["eprint"] == "TR18-157"
    assert again.extra_fields_dict["eprinttype"] == "ECCC"


@pytest.mark.django_db
def test_an_eccc_report_alone_is_exported_with_its_eprint():
    apply_plan(prepare_import(sources_from_paths([CORPUS / "dblp/dblp-standard.bib"])))
    reports = [
        paper
        for paper in Paper.objects.for_list()
        if paper.extra_fields_dict.get("eprinttype") == "ECCC" and not paper.arxiv_id
    ]
    assert reports
    for paper in reports:
        entry = papers_to_bibtex([paper])
        assert f"eprint = {{{paper.extra_fields_dict['eprint']}}}" in entry
        assert "eprinttype = {ECCC}" in entry
