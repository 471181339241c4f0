"""The read API (/api/v1/) through HTTP: what a paper looks like, the list's filters and their
400s, pagination, drafts, conditional GETs, CORS and the rate limit."""

import json
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import resolve, reverse

from bibliography.filters import PaperFilter
from bibliography.models import (
    Author,
    AuthorSlugRedirect,
    Award,
    ContributionRole,
    Paper,
    PaperLink,
    Topic,
    Venue,
)
from tests.factories import give_role, make_author, make_paper, make_venue
from tests.servers import ROOT

pytestmark = pytest.mark.django_db

PAPERS = "/api/v1/papers/"


def get_json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response, json.loads(response.content)


@pytest.fixture
def curated():
    """A paper with every part a representation shows, and a draft beside it."""
    series = make_venue(name="Neural Information Processing Systems", short_name="NeurIPS")
    track = make_venue(
        name="NeurIPS Datasets and Benchmarks", short_name="NeurIPS D&B", series=series
    )
    owner = make_author("Biderman", given_name="Stella", slug="stella", is_site_owner=True)
    gao = make_author("Gao", given_name="Leo", slug="leo-gao")
    hidden = make_author("Kept", given_name="Only", slug="draft-only")
    paper = make_paper(
        title="The Pile: An 800GB Dataset of Diverse Text",
        slug="the-pile",
        year=2021,
        month=1,
        venue=track,
        entry_type=Paper.EntryType.INPROCEEDINGS,
        authors=[gao, owner],
        doi="10.48550/arXiv.2101.00027",
        arxiv_id="2101.00027",
        abstract="A dataset.\n\nOf text.",
        pages="1-39",
    )
    incl = make_author("Phang", given_name="Jason", slug="jason-phang")
    paper.authorships.create(author=incl, position=3, order_known=False)
    give_role(paper, [1])
    give_role(paper, [2], slug=ContributionRole.CORRESPONDING_AUTHOR)
    award = Award.objects.create(name="Best Dataset", slug="best-dataset", venue=series, year=2021)
    paper.awards.add(award)
    topic = Topic.objects.create(name="Data sets", slug="data-sets")
    paper.topics.add(topic)
    PaperLink.objects.create(paper=paper, kind="code", url="https://github.com/x/pile", position=1)
    PaperLink.objects.create(paper=paper, kind="slides", url="https://example.org/s", position=2)
    make_paper(title="A secret draft", slug="secret", published=False, authors=[hidden])
    return paper


def test_a_paper_carries_its_byline_venue_series_awards_topics_links_and_addresses(client, curated):
    response, body = get_json(client, "/api/v1/papers/the-pile/")
    assert response.status_code == 200
    assert body["title"] == "The Pile: An 800GB Dataset of Diverse Text"
    assert (body["year"], body["month"], body["kind"], body["entry_type"]) == (
        2021,
        1,
        "conference paper",
        "inproceedings",
    )
    assert [(a["slug"], a["place"], a["place_known"]) for a in body["authors"]] == [
        ("leo-gao", 1, True),
        ("stella", 2, True),
        ("jason-phang", 3, False),
    ]
    assert [r["symbol"] for r in body["authors"][0]["roles"]] == ["*"]
    assert [r["slug"] for r in body["authors"][1]["roles"]] == ["corresponding-author"]
    assert body["authors"][1]["is_site_owner"] is True
    assert body["authors_partial"] is True  # an "incl." author: the byline goes on
    assert body["venue"]["short_name"] == "NeurIPS D&B"
    assert body["venue"]["series"]["short_name"] == "NeurIPS"
    assert [a["slug"] for a in body["awards"]] == ["best-dataset"]
    assert [t["slug"] for t in body["topics"]] == ["data-sets"]
    assert [(link["kind"], link["label"]) for link in body["links"]] == [
        ("code", "Code"),
        ("slides", "Slides"),
    ]
    assert body["identifiers"] == {
        "doi": "10.48550/arXiv.2101.00027",
        "arxiv_id": "2101.00027",
        "arxiv_primary_class": None,
        "citation_key": curated.citation_key,
    }
    assert body["publisher"] is None and body["pages"] == "1-39"
    # Every address it gives answers: the paper page, the exports, the people and things.
    addresses = [
        body["page_url"],
        *body["exports"].values(),
        body["api_url"],
        body["venue"]["page_url"],
        body["venue"]["series"]["api_url"],
        *(a["api_url"] for a in body["authors"]),
        *(a["page_url"] for a in body["awards"]),
        *(t["api_url"] for t in body["topics"]),
    ]
    for address in addresses:
        assert address.startswith("http://testserver/"), address
        assert client.get(address).status_code == 200, address


def test_authors_venues_awards_and_topics_list_and_detail(client, curated):
    _, authors = get_json(client, "/api/v1/authors/")
    # By family name; the draft's author is not public.
    assert [a["slug"] for a in authors["results"]] == ["stella", "leo-gao", "jason-phang"]
    _, stella = get_json(client, "/api/v1/authors/stella/")
    assert (stella["name"], stella["is_site_owner"], stella["paper_count"]) == (
        "Stella Biderman",
        True,
        1,
    )
    _, papers = get_json(client, stella["papers_url"])
    assert [p["slug"] for p in papers["results"]] == ["the-pile"]
    _, venues = get_json(client, "/api/v1/venues/")
    by_slug = {v["slug"]: v for v in venues["results"]}
    assert by_slug["neurips-db"]["series"]["slug"] == "neurips"
    # The series has no paper of its own; its papers are its members'.
    assert by_slug["neurips"]["paper_count"] == 0
    _, series_papers = get_json(client, by_slug["neurips"]["papers_url"])
    assert series_papers["count"] == 1
    _, award = get_json(client, "/api/v1/awards/best-dataset/")
    assert (award["given_by"]["slug"], award["year"], award["paper_count"]) == ("neurips", 2021, 1)
    _, topics = get_json(client, "/api/v1/topics/")
    assert [(t["slug"], t["paper_count"]) for t in topics["results"]] == [("data-sets", 1)]


def test_drafts_never_appear_and_a_draft_only_slug_answers_as_unknown(client, curated):
    _, papers = get_json(client, PAPERS)
    assert [p["slug"] for p in papers["results"]] == ["the-pile"]
    _, authors = get_json(client, "/api/v1/authors/")
    assert "draft-only" not in {a["slug"] for a in authors["results"]}
    answers = [
        client.get(url)
        for url in (
            "/api/v1/papers/secret/",
            "/api/v1/authors/draft-only/",
            f"{PAPERS}?author=draft-only",
        )
    ]
    assert [r.status_code for r in answers] == [404, 404, 400]
    # What a slug that never existed answers, byte for byte.
    Paper.objects.filter(slug="secret").delete()
    Author.objects.filter(slug="draft-only").delete()
    Paper.objects.create(title="Another secret", slug="secret-2", published=False)
    again = [
        client.get(url)
        for url in (
            "/api/v1/papers/secret/",
            "/api/v1/authors/draft-only/",
            f"{PAPERS}?author=draft-only",
        )
    ]
    assert [r.content for r in again] == [r.content for r in answers]


@pytest.fixture
def library():
    acl = make_venue(name="Association for Computational Linguistics", short_name="ACL", slug="acl")
    arxiv = make_venue(name="arXiv", short_name="arXiv", slug="arxiv", kind=Venue.Kind.PREPRINT)
    owner = make_author("Biderman", given_name="Stella", slug="stella")
    other = make_author("Sutawika", given_name="Lintang", slug="lintang")
    for i in range(30):
        make_paper(
            title=f"Multilingual study number {i:02d}",
            venue=acl if i % 3 else arxiv,
            year=2018 + i % 6,
            authors=[owner, other] if i % 2 else [other, owner],
            entry_type="inproceedings" if i % 3 else "misc",
        )


LIST_QUERIES = [
    "",
    "year=2020&year=2021",
    "venue=acl&kind=preprint",
    "author=stella&role=first",
    "q=multilingual+number&sort=title",
    "year_from=2019&year_to=2021&type=misc",
    "sort=oldest",
]


@pytest.mark.parametrize("query", LIST_QUERIES)
def test_the_filters_are_the_list_pages(client, library, query):
    page = client.get(f"/?{query}")
    expected = [paper.slug for paper in page.context["paginator"].object_list]
    collected, url = [], f"{PAPERS}?{query}&page_size=7"
    while url:
        _, body = get_json(client, url)
        assert body["count"] == len(expected)
        collected += [p["slug"] for p in body["results"]]
        url = body["next"]
    assert collected == expected


def test_previous_links_walk_back_and_keep_the_filters(client, library):
    _, last = get_json(client, f"{PAPERS}?venue=acl&page_size=4&page=5")
    assert last["pages"] == 5 and last["next"] is None
    _, before = get_json(client, last["previous"])
    assert before["page"] == 4 and "venue=acl" in last["previous"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("year=abc", "year"),
        ("year=2021&year=1066", "year"),
        ("year_from=soon", "year_from"),
        ("venue=no-such-venue", "venue"),
        ("author=%00", "author"),
        ("kind=podcast", "kind"),
        ("type=poem", "type"),
        ("featured=yes", "featured"),
        ("sort=random", "sort"),
        ("sort=relevance", "sort"),
        ("role=first", "role"),
        ("role=middle&author=stella", "role"),
        ("q=" + "x" * 300, "q"),
        ("q=a&q=b", "q"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("page=99", "page"),
        ("page_size=101", "page_size"),
        ("page_size=-1", "page_size"),
        ("colour=red", "colour"),
    ],
)
def test_an_unusable_parameter_is_a_400_naming_it(client, library, query, parameter):
    response, body = get_json(client, f"{PAPERS}?{query}")
    assert response.status_code == 400
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]


def test_page_size_is_bounded_and_defaults_to_25(client, library):
    _, body = get_json(client, PAPERS)
    assert (body["page_size"], len(body["results"]), body["pages"]) == (25, 25, 2)
    _, body = get_json(client, f"{PAPERS}?page_size=100")
    assert len(body["results"]) == 30
    assert client.get("/api/v1/authors/?page_size=1000").status_code == 400


def test_etag_gives_304_until_the_data_changes(client, library):
    first = client.get(PAPERS)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(PAPERS, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    Paper.objects.filter(slug__startswith="multilingual").update(title="Renamed")
    changed = client.get(PAPERS, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_cors_only_for_the_listed_origins(client, library, settings):
    settings.API_CORS_ORIGINS = ["https://dept.example.edu"]
    listed = client.get(PAPERS, headers={"Origin": "https://dept.example.edu"})
    assert listed["Access-Control-Allow-Origin"] == "https://dept.example.edu"
    assert "ETag" in listed["Access-Control-Expose-Headers"]
    other = client.get(PAPERS, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    for response in (listed, other, client.get(PAPERS)):
        assert "Origin" in response["Vary"]
    # The same cached page is served to both, with its own header each.
    assert listed.content == other.content

    preflight = client.options(
        PAPERS,
        headers={
            "Origin": "https://dept.example.edu",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://dept.example.edu"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    refused = client.options(
        PAPERS, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Methods" not in refused


def test_by_default_no_origin_may_read_it(client, library):
    response = client.get(PAPERS, headers={"Origin": "https://dept.example.edu"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_writes_are_refused(library):
    response = Client(enforce_csrf_checks=True).post(PAPERS, {"title": "x"})
    assert response.status_code == 405
    assert json.loads(response.content)["error"]["status"] == 405


def test_pages_to_compute_count_against_the_rate_limit(client, library, settings):
    settings.API_RATE_LIMIT = "3/1m"
    for page in (1, 2, 3):
        assert client.get(f"{PAPERS}?page_size=10&page={page}").status_code == 200
    # Served from the cache: not counted, not refused.
    assert client.get(f"{PAPERS}?page_size=10&page=1").status_code == 200
    refused = client.get("/api/v1/authors/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert json.loads(refused.content)["error"]["status"] == 429


def test_the_openapi_description_names_every_filter_of_the_list(client):
    response, body = get_json(client, reverse("api-v1:openapi"))
    assert body["openapi"].startswith("3.")
    described = body["paths"]["/api/v1/papers/"]["get"]["parameters"]
    names = {p["name"] for p in described if p["in"] == "query"}
    assert names == {*PaperFilter.base_filters, "page", "page_size"}
    for path in body["paths"]:
        assert client.get(path.replace("{slug}", "x")).status_code in (200, 404), path


def test_the_index_links_every_resource(client, curated):
    _, body = get_json(client, reverse("api-v1:index"))
    for name, address in body.items():
        assert client.get(address).status_code == 200, name


def test_a_malformed_origin_setting_stops_start_up_naming_it():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "API_CORS_ORIGINS": "https://ok.example, https://x.org/path"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "API_CORS_ORIGINS" in result.stderr and "/path" in result.stderr


def test_an_unknown_address_under_the_api_is_a_json_404(client):
    for url in ("/api/v1/nothing/", "/api/v1/papers/a%2Fb/", "/api/v1/papers/%C3%A9t%C3%A9/"):
        response, body = get_json(client, url)
        assert (response.status_code, body["error"]["status"]) == (404, 404), url
    # Without the slash, Django first sends the client to the address with it.
    assert client.get("/api/v1/papers").status_code == 301


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("index", {}, "/api/v1/"),
        ("openapi", {}, "/api/v1/openapi.json"),
        ("paper-list", {}, "/api/v1/papers/"),
        ("paper-detail", {"slug": "the-pile"}, "/api/v1/papers/the-pile/"),
        ("author-list", {}, "/api/v1/authors/"),
        ("author-detail", {"slug": "stella"}, "/api/v1/authors/stella/"),
        ("venue-list", {}, "/api/v1/venues/"),
        ("venue-detail", {"slug": "acl"}, "/api/v1/venues/acl/"),
        ("award-list", {}, "/api/v1/awards/"),
        ("award-detail", {"slug": "best"}, "/api/v1/awards/best/"),
        ("topic-list", {}, "/api/v1/topics/"),
        ("topic-detail", {"slug": "nlp"}, "/api/v1/topics/nlp/"),
    ],
)
def test_url_names(name, kwargs, path):
    assert reverse(f"api-v1:{name}", kwargs=kwargs) == path
    assert resolve(path).view_name == f"api-v1:{name}"


def test_an_old_author_slug_redirects_to_the_kept_author_as_the_page_does(client, db):
    kept = make_author("Biderman", "Stella")
    make_paper(title="The Pile", authors=[kept])
    AuthorSlugRedirect.objects.create(old_slug="s-biderman", author=kept)
    drafts_only = make_author("Hidden")
    make_paper(title="A draft", authors=[drafts_only], published=False)
    AuthorSlugRedirect.objects.create(old_slug="old-hidden", author=drafts_only)

    moved = client.get("/api/v1/authors/s-biderman/")
    assert moved.status_code == 301
    assert moved["Location"] == f"/api/v1/authors/{kept.slug}/"
    assert client.get("/authors/s-biderman/")["Location"] == kept.get_absolute_url()
    response, body = get_json(client, moved["Location"])
    assert response.status_code == 200 and body["slug"] == kept.slug
    # An old slug of an author only drafts reach is as unknown as one that never was.
    assert client.get("/api/v1/authors/old-hidden/").status_code == 404
